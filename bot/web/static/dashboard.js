/* Baraza analyst dashboard: filters, charts over time, rising words, table, CSV export (signing in:
   staff.js); for analysts also the questions not answered and the handoffs to a person. Talks only to
   Baraza's own API (/api/v1/concerns, /api/v1/insights). Every chart's numbers are also given as a
   table and a sentence. */
"use strict";
(function () {
  var config = JSON.parse(document.getElementById("dashboard-config").textContent);
  var T = config.texts;
  var PAGE = 25;
  var SVG = "http://www.w3.org/2000/svg";
  // Distinct colours, each at least 3:1 against white (WCAG 1.4.11).
  var COLOURS = ["#0b4f6c", "#b2182b", "#1b7837", "#762a83", "#8c510a", "#2166ac", "#01665e", "#4d4d4d", "#c51b7d"];
  var offset = 0;
  var total = 0;
  var writer = false;  // a ministry key that may answer its concerns (set when signed in)
  var staff = window.BarazaStaff({ config: config, storageKey: "baraza.dashboard.key", onSignIn: showWorkspace });
  var $ = staff.$, t = staff.t, say = staff.say, problem = staff.problem;
  function api(path) { return staff.api("GET", path); }
  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    return node;
  }
  // Dates and numbers as the person's browser writes them (en-GB: 01/12/2026; en-US: 12/01/2026).
  var locale = navigator.language || config.language;
  var dates = new Intl.DateTimeFormat(locale, { year: "numeric", month: "2-digit", day: "2-digit", timeZone: "UTC" });
  var numbers = new Intl.NumberFormat(locale);
  function day(iso) {
    try { return dates.format(new Date(iso.length === 10 ? iso + "T00:00:00Z" : iso)); }
    catch (error) { return iso.slice(0, 10); }
  }
  function num(value) { return numbers.format(value); }
  function listed(items) {
    try { return new Intl.ListFormat(config.language, { style: "short", type: "unit" }).format(items); }
    catch (error) { return items.join(", "); }
  }

  // Filters -------------------------------------------------------------------------------------
  function nextDay(value) {
    var date = new Date(value + "T00:00:00Z");
    date.setUTCDate(date.getUTCDate() + 1);
    return date.toISOString().slice(0, 10);
  }
  function query() {
    var params = new URLSearchParams();
    ["ministry", "category", "region", "status", "language", "q"].forEach(function (name) {
      var value = $(name).value.trim();
      if (value && !$(name).disabled) { params.set(name, value); }
    });
    if ($("since").value) { params.set("since", $("since").value + "T00:00:00Z"); }
    if ($("until").value) { params.set("until", nextDay($("until").value) + "T00:00:00Z"); }  // the whole day
    return params;
  }
  function withParams(path, params, extra) {
    var all = new URLSearchParams(params);
    Object.keys(extra || {}).forEach(function (name) { all.set(name, extra[name]); });
    var text = all.toString();
    return text ? path + "?" + text : path;
  }

  // Charts --------------------------------------------------------------------------------------
  function seriesNames(series, field) {
    var seen = {};
    series.forEach(function (bucket) { Object.keys(bucket[field]).forEach(function (name) { seen[name] = (seen[name] || 0) + bucket[field][name]; }); });
    return Object.keys(seen).sort(function (a, b) { return seen[b] - seen[a]; });
  }
  /* A step between axis ticks that gives about ``count`` ticks: 1, 2 or 5 times a power of ten. */
  function tickStep(max, count) {
    var raw = max / count;
    var power = Math.pow(10, Math.floor(Math.log(raw) / Math.LN10));
    var step = [1, 2, 5, 10].map(function (m) { return m * power; }).filter(function (s) { return s >= raw; })[0];
    return Math.max(1, Math.round(step));
  }
  /* The chart's own sentence: its leading categories or regions, and how their last 7 days compare. */
  function breakdownSentence(items, names, template) {
    if (!items || !items.length) { return ""; }
    return t(template, { items: listed(items.map(function (item) {
      var change = item.recent > item.previous ? "breakdown_up" : (item.recent < item.previous ? "breakdown_down" : "breakdown_same");
      return t(change, { name: names[item.key] || item.key, count: num(item.total), recent: num(item.recent), previous: num(item.previous) });
    })) });
  }
  function drawLine(svg, x1, y1, x2, y2, colour) {
    var node = document.createElementNS(SVG, "line");
    node.setAttribute("x1", x1); node.setAttribute("x2", x2); node.setAttribute("y1", y1); node.setAttribute("y2", y2);
    node.setAttribute("stroke", colour);
    svg.appendChild(node);
  }
  function drawLabel(svg, x, y, text, anchor, kind, rotate) {
    var node = document.createElementNS(SVG, "text");
    node.setAttribute("x", x); node.setAttribute("y", y); node.setAttribute("font-size", "13");
    node.setAttribute("text-anchor", anchor); node.setAttribute("fill", "#1b1b1b");
    node.setAttribute("class", kind);
    if (rotate) { node.setAttribute("transform", "rotate(-90 " + x + " " + y + ")"); }
    node.textContent = text;
    svg.appendChild(node);
  }
  /* Dates under evenly spaced slots of the time axis, as many as fit without overlapping. */
  function timeAxis(svg, periods, left, right, width, base) {
    var slot = (width - right - left) / Math.max(periods.length, 1);
    var fits = Math.max(1, Math.floor((width - right - left) / 96));
    var every = Math.max(1, Math.ceil(periods.length / fits));
    periods.forEach(function (period, index) {
      if (index % every) { return; }
      var x = left + index * slot + slot / 2;
      drawLine(svg, x, base, x, base + 5, "#1b1b1b");
      // without the direction marks some locales add: the picture is drawn left to right
      drawLabel(svg, x, base + 20, day(period).replace(/[\u200e\u200f\u061c]/g, ""), "middle", "tick x-tick");
    });
    return slot;
  }
  function drawChart(id, stats, field, names, template) {
    var series = stats.series;
    var figure = $(id);
    var plot = figure.querySelector(".plot");
    var legend = figure.querySelector(".legend");
    var data = figure.querySelector(".data");
    plot.textContent = ""; legend.textContent = ""; data.textContent = "";
    var keys = seriesNames(series, field);
    // Drawn at the width it is shown, so its 13 px labels stay 13 px on a phone and on a wide screen.
    var width = Math.max(300, Math.round(plot.clientWidth || 640)), height = 280;
    var left = 64, right = 16, top = 12, bottom = 60;
    var inner = height - top - bottom;
    var max = Math.max.apply(null, [1].concat(series.map(function (b) { return b.total; })));
    var step = tickStep(max, 5);
    var ceiling = Math.ceil(max / step) * step;
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.setAttribute("width", width); svg.setAttribute("height", height);
    svg.setAttribute("role", "img");
    var summary;
    if (!series.length) {
      summary = T.no_results;
    } else {
      var peak = series.reduce(function (a, b) { return b.total > a.total ? b : a; });
      var sum = series.reduce(function (n, b) { return n + b.total; }, 0);
      summary = t("chart_summary", { total: num(sum), first: day(series[0].period), last: day(series[series.length - 1].period), peak: day(peak.period), peak_count: num(peak.total) });
      summary += " " + breakdownSentence(stats.breakdown[field], names, template);
    }
    svg.setAttribute("aria-label", figure.querySelector("figcaption").textContent + ". " + summary);
    var line = drawLine.bind(null, svg), label = drawLabel.bind(null, svg);
    var base = top + inner;
    // The count axis: a labelled tick (and a faint grid line) every ``step`` reports.
    for (var value = 0; value <= ceiling; value += step) {
      var y = base - inner * value / ceiling;
      if (value > 0) { line(left, y, width - right, y, "#d9d9d9"); }
      label(left - 6, y + 4, num(value), "end", "tick y-tick");
    }
    line(left, top, left, base, "#1b1b1b");
    line(left, base, width - right, base, "#1b1b1b");
    label(16, top + inner / 2, T.axis_reports, "middle", "axis-label", true);
    label(left + (width - right - left) / 2, height - 8, stats.period === "week" ? T.axis_week : T.axis_day, "middle", "axis-label");
    var slot = (width - right - left) / Math.max(series.length, 1);
    var barWidth = Math.max(2, slot * 0.8);
    series.forEach(function (bucket, index) {
      var y = base;
      keys.forEach(function (key, k) {
        var count = bucket[field][key] || 0;
        if (!count) { return; }
        var h = inner * count / ceiling;
        var bar = document.createElementNS(SVG, "rect");
        bar.setAttribute("x", left + index * slot + (slot - barWidth) / 2);
        bar.setAttribute("y", y - h); bar.setAttribute("width", barWidth); bar.setAttribute("height", h);
        bar.setAttribute("fill", COLOURS[k % COLOURS.length]);
        svg.appendChild(bar);
        y -= h;
      });
    });
    timeAxis(svg, series.map(function (bucket) { return bucket.period; }), left, right, width, base);
    plot.appendChild(svg);
    figure.querySelector(".summary").textContent = summary;
    keys.forEach(function (key, k) {
      var item = el("li");
      var swatch = el("span", null, { "class": "swatch", "aria-hidden": "true" });
      swatch.style.backgroundColor = COLOURS[k % COLOURS.length];  // CSSOM, which the page's CSP allows
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(names[key] || key));
      legend.appendChild(item);
    });
    var table = el("table");
    var head = el("tr");
    head.appendChild(el("th", T.period_column, { scope: "col" }));
    keys.forEach(function (key) { head.appendChild(el("th", names[key] || key, { scope: "col" })); });
    head.appendChild(el("th", T.total_column, { scope: "col" }));
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    series.forEach(function (bucket) {
      var row = el("tr");
      row.appendChild(el("th", day(bucket.period), { scope: "row" }));
      keys.forEach(function (key) { row.appendChild(el("td", num(bucket[field][key] || 0))); });
      row.appendChild(el("td", num(bucket.total)));
      body.appendChild(row);
    });
    data.appendChild(table);
  }
  var lastStats = null, lastDays = null;  // drawn again at the new width when the window changes size
  function drawCharts(stats) {
    lastStats = stats;
    drawChart("chart-category", stats, "by_category", config.categories, "breakdown_categories");
    drawChart("chart-region", stats, "by_region", config.regions, "breakdown_regions");
  }
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      if (lastStats && !$("workspace").hidden) { drawCharts(lastStats); }
      if (lastHandoffs && !$("handoff-section").hidden) { drawWaitChart(lastHandoffs.by_desk); }
      if (lastDays && !$("unanswered-section").hidden) { drawUnderstood(lastDays); }
    }, 200);
  });

  // Rising words and the table --------------------------------------------------------------------
  function drawRising(rising) {
    var list = $("rising");
    list.textContent = "";
    $("rising-minimum").textContent = t("rising_minimum", { min_count: num(rising.min_count) });
    if (!rising.terms.length) { list.appendChild(el("li", T.rising_none)); return; }
    rising.terms.forEach(function (term) {
      list.appendChild(el("li", t("rising_item", { term: term.term, this_week: num(term.this_week), last_week: num(term.last_week) }),
        { "data-term": term.term }));
    });
  }
  function drawTable(page) {
    var body = $("concerns").querySelector("tbody");
    body.textContent = "";
    total = page.total;
    page.concerns.forEach(function (concern) {
      var row = el("tr");
      row.appendChild(el("td", concern.ticket, { "class": "ticket" }));
      row.appendChild(el("td", day(concern.created_at)));
      row.appendChild(el("td", config.categories[concern.category] || concern.category));
      row.appendChild(el("td", config.regions[concern.region || "unknown"] || concern.region));
      row.appendChild(el("td", config.statuses[concern.status] || concern.status));
      row.appendChild(el("td", config.ministries[concern.ministry] || concern.ministry));
      row.appendChild(el("td", concern.description, { lang: concern.language, dir: concern.language === "ar" ? "rtl" : "auto" }));
      if (writer) { row.appendChild(answerCell(row, concern)); }
      body.appendChild(row);
    });
    $("concerns-caption").textContent = page.total
      ? t("table_caption", { first: num(offset + 1), last: num(offset + page.concerns.length), total: num(page.total) })
      : T.no_results;
    $("previous").disabled = offset === 0;
    $("next").disabled = offset + PAGE >= page.total;
  }

  // Answering a concern (ministry keys that write) ----------------------------------------------------
  function answerCell(row, concern) {
    var cell = el("td");
    var next = config.transitions[concern.status] || [];
    if (!next.length) { cell.textContent = T.no_transition; return cell; }
    var button = el("button", T.update, { type: "button", "class": "secondary", "aria-expanded": "false",
      "aria-label": t("update_label", { ticket: concern.ticket }) });
    button.addEventListener("click", function () { openAnswer(row, concern, button, next); });
    cell.appendChild(button);
    return cell;
  }
  function closeAnswer() {
    var open = $("answer-row");
    if (open) { open.remove(); }
    Array.prototype.forEach.call(document.querySelectorAll("#concerns [aria-expanded=true]"), function (b) {
      b.setAttribute("aria-expanded", "false");
    });
  }
  function openAnswer(row, concern, button, next) {
    closeAnswer();
    var formRow = el("tr", null, { id: "answer-row" });
    var cell = el("td", null, { colspan: String(row.children.length) });
    var form = el("form", null, { "class": "answer", "aria-label": t("update_label", { ticket: concern.ticket }) });
    form.appendChild(el("label", T.new_status_label, { "for": "answer-status" }));
    var select = el("select", null, { id: "answer-status", name: "status" });
    next.forEach(function (status) { select.appendChild(el("option", config.statuses[status] || status, { value: status })); });
    form.appendChild(select);
    form.appendChild(el("label", T.note_label, { "for": "answer-note" }));
    form.appendChild(el("p", T.note_hint, { "class": "hint", id: "answer-note-hint" }));
    var note = el("textarea", null, { id: "answer-note", name: "note", rows: "3", maxlength: "1000", "aria-describedby": "answer-note-hint" });
    form.appendChild(note);
    var actions = el("div", null, { "class": "actions" });
    actions.appendChild(el("button", T.save, { type: "submit", "aria-describedby": "answer-error" }));
    var cancel = el("button", T.cancel, { type: "button", "class": "secondary" });
    actions.appendChild(cancel);
    form.appendChild(actions);
    // A refused change is told here, beside its button (and announced), not at the top of the page.
    var error = el("p", null, { id: "answer-error", "class": "field-error", role: "alert" });
    form.appendChild(error);
    cell.appendChild(form);
    formRow.appendChild(cell);
    row.after(formRow);
    button.setAttribute("aria-expanded", "true");
    select.focus();
    cancel.addEventListener("click", function () { closeAnswer(); button.focus(); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      error.textContent = "";
      staff.api("POST", "/api/v1/concerns/" + encodeURIComponent(concern.ticket) + "/status",
        { status: select.value, note: note.value.trim() }).then(function () {
        load(true).then(function () { say(t("saved", { ticket: concern.ticket })); });
      }, function (failure) { error.textContent = t("update_failed", { error: failure.message }); select.focus(); });
    });
  }

  function load(focusTable) {
    var params = query();
    say(T.loading);
    return Promise.all([
      api(withParams("/api/v1/concerns/stats", params, { period: $("period").value })),
      api(withParams("/api/v1/concerns/rising", params)),
      api(withParams("/api/v1/concerns", params, { limit: PAGE, offset: offset }))
    ]).then(function (results) {
      drawCharts(results[0]);
      drawRising(results[1]);
      drawTable(results[2]);
      say(results[2].total ? t("loaded", { total: num(results[2].total) }) : T.no_results);
      if (focusTable) { $("concerns-caption").setAttribute("tabindex", "-1"); $("concerns-caption").focus(); }
    }, function (error) { problem(t("load_failed", { error: error.message })); });
  }

  function download(path, filename) {
    return fetch(path, { headers: staff.headers() }).then(function (reply) {
      if (!reply.ok) { return reply.json().then(function (data) { throw new Error(data.error || String(reply.status)); }); }
      return reply.blob();
    }).then(function (blob) {
      var link = el("a", null, { href: URL.createObjectURL(blob), download: filename });
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  }
  function exportCsv() {
    download(withParams("/api/v1/concerns/export.csv", query()), "concerns.csv").then(function () {
      say(t("exported", { count: num(total) }));
    }).catch(function (error) { problem(t("load_failed", { error: error.message })); });
  }

  // Questions Baraza could not answer (analysts) ------------------------------------------------------
  function drawUnanswered(groups) {
    var body = $("unanswered").querySelector("tbody");
    body.textContent = "";
    if (!groups.length) {
      var empty = el("tr");
      empty.appendChild(el("td", T.no_unanswered, { colspan: "3" }));
      body.appendChild(empty);
    }
    groups.forEach(function (group) {
      var row = el("tr");
      row.appendChild(el("td", num(group.count)));
      row.appendChild(el("td", group.example));
      row.appendChild(el("td", group.languages.map(function (code) { return config.languageNames[code] || code; })
        .join(document.documentElement.lang === "ar" ? "، " : ", ")));
      body.appendChild(row);
    });
  }
  /* The share understood per day, one line per language (0 to 100 %), its sentence and its legend. */
  function drawUnderstoodChart(days, percent) {
    var figure = $("chart-understood");
    var plot = figure.querySelector(".plot"), legend = figure.querySelector(".legend");
    plot.textContent = ""; legend.textContent = "";
    var periods = [], totals = {};
    days.forEach(function (entry) {
      if (periods.indexOf(entry.day) < 0) { periods.push(entry.day); }
      var total = totals[entry.language] = totals[entry.language] || { turns: 0, unanswered: 0 };
      total.turns += entry.turns; total.unanswered += entry.unanswered;
    });
    periods.sort();
    var languages = Object.keys(totals).sort(function (a, b) { return totals[b].turns - totals[a].turns; });
    function name(code) { return config.languageNames[code] || code; }
    var summary = languages.length ? t("understood_summary", {
      first: day(periods[0]), last: day(periods[periods.length - 1]),
      items: listed(languages.map(function (code) {
        var total = totals[code];
        return t("understood_item", { language: name(code), share: percent.format(1 - total.unanswered / total.turns), turns: num(total.turns) });
      }))
    }) : T.understood_none;
    var width = Math.max(300, Math.round(plot.clientWidth || 640)), height = 280;
    var left = 64, right = 16, top = 12, bottom = 60;
    var inner = height - top - bottom, base = top + inner;
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.setAttribute("width", width); svg.setAttribute("height", height);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", figure.querySelector("figcaption").textContent + ". " + summary);
    for (var tick = 0; tick <= 5; tick += 1) {  // 0 %, 20 % ... 100 %
      var y = base - inner * tick / 5;
      if (tick > 0) { drawLine(svg, left, y, width - right, y, "#d9d9d9"); }
      drawLabel(svg, left - 6, y + 4, percent.format(tick / 5), "end", "tick y-tick");
    }
    drawLine(svg, left, top, left, base, "#1b1b1b");
    drawLine(svg, left, base, width - right, base, "#1b1b1b");
    drawLabel(svg, 16, top + inner / 2, T.axis_share, "middle", "axis-label", true);
    drawLabel(svg, left + (width - right - left) / 2, height - 8, T.axis_day, "middle", "axis-label");
    var slot = timeAxis(svg, periods, left, right, width, base);
    languages.forEach(function (code, k) {
      var colour = COLOURS[k % COLOURS.length];
      var points = days.filter(function (entry) { return entry.language === code && entry.understood !== null; })
        .map(function (entry) { return [left + periods.indexOf(entry.day) * slot + slot / 2, base - inner * entry.understood]; });
      var path = document.createElementNS(SVG, "polyline");
      path.setAttribute("points", points.map(function (point) { return point.join(","); }).join(" "));
      path.setAttribute("fill", "none"); path.setAttribute("stroke", colour); path.setAttribute("stroke-width", "2");
      path.setAttribute("class", "series");
      svg.appendChild(path);
      points.forEach(function (point) {  // a dot on every day, so that a single day is seen too
        var dot = document.createElementNS(SVG, "circle");
        dot.setAttribute("cx", point[0]); dot.setAttribute("cy", point[1]); dot.setAttribute("r", "4");
        dot.setAttribute("fill", colour);
        svg.appendChild(dot);
      });
      var item = el("li");
      var swatch = el("span", null, { "class": "swatch", "aria-hidden": "true" });
      swatch.style.backgroundColor = colour;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(name(code)));
      legend.appendChild(item);
    });
    plot.appendChild(svg);
    figure.querySelector(".summary").textContent = summary;
  }
  function drawUnderstood(days) {
    lastDays = days;
    var body = $("understood").querySelector("tbody");
    body.textContent = "";
    var percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
    drawUnderstoodChart(days, percent);
    days.forEach(function (entry) {
      var row = el("tr");
      row.appendChild(el("td", day(entry.day)));
      row.appendChild(el("td", config.languageNames[entry.language] || entry.language));
      row.appendChild(el("td", entry.understood === null ? "–" : percent.format(entry.understood)));
      body.appendChild(row);
    });
  }
  function loadInsights() {
    return Promise.all([api("/api/v1/insights/unanswered?days=30"), api("/api/v1/insights/understood?days=14")])
      .then(function (results) { drawUnanswered(results[0].groups); drawUnderstood(results[1].days); },
        function (error) { problem(t("load_failed", { error: error.message })); });
  }
  function exportUnanswered() {
    download("/api/v1/insights/unanswered.csv?days=30", "unanswered.csv")
      .catch(function (error) { problem(t("load_failed", { error: error.message })); });
  }

  // Handoffs to a person (analysts) --------------------------------------------------------------
  var percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  var HANDOFF_TABLES = { "handoffs-desk": "by_desk", "handoffs-language": "by_language", "handoffs-channel": "by_channel" };
  /* A duration as the browser's locale writes it, in seconds, minutes or hours. */
  function duration(seconds) {
    if (seconds === null || seconds === undefined) { return "–"; }
    var unit = seconds < 60 ? "second" : (seconds < 7200 ? "minute" : "hour");
    var value = unit === "second" ? seconds : seconds / (unit === "minute" ? 60 : 3600);
    try {
      return new Intl.NumberFormat(locale, { style: "unit", unit: unit, unitDisplay: "short",
        maximumFractionDigits: unit === "second" ? 0 : 1 }).format(value);
    } catch (error) { return num(Math.round(value)) + " " + unit; }
  }
  function groupName(field, key) {
    if (field === "by_desk") { return config.desks[key] || key; }
    if (field === "by_language") { return config.languageNames[key] || key; }
    return key;
  }
  function drawHandoffTable(id, groups, field) {
    var body = $(id).querySelector("tbody");
    body.textContent = "";
    var keys = Object.keys(groups);
    if (!keys.length) {
      var empty = el("tr");
      empty.appendChild(el("td", T.handoff_none, { colspan: String($(id).querySelectorAll("thead th").length) }));
      body.appendChild(empty);
    }
    keys.forEach(function (key) {
      var f = groups[key];
      var row = el("tr", null, { "data-key": key });
      row.appendChild(el("th", groupName(field, key), { scope: "row" }));
      row.appendChild(el("td", num(f.handoffs)));
      row.appendChild(el("td", duration(f.waiting.median)));
      row.appendChild(el("td", duration(f.waiting.p90)));
      row.appendChild(el("td", duration(f.handling.median)));
      row.appendChild(el("td", f.abandoned_share === null ? num(f.abandoned)
        : num(f.abandoned) + " (" + percent.format(f.abandoned_share) + ")"));
      row.appendChild(el("td", f.ratings ? t("rating_cell", { count: num(f.ratings), mean: num(f.rating_mean) }) : num(0)));
      ["asked", "not_understood", "distress"].forEach(function (trigger) { row.appendChild(el("td", num(f.triggers[trigger]))); });
      body.appendChild(row);
    });
  }
  function handoffSummary(overall) {
    if (!overall.handoffs) { return T.handoff_none; }
    var parts = [t("handoff_summary_count", { handoffs: num(overall.handoffs) })];
    if (overall.waiting.count) {
      parts.push(t("handoff_summary_wait", { wait_median: duration(overall.waiting.median), wait_p90: duration(overall.waiting.p90) }));
    }
    if (overall.abandoned_share !== null) {
      parts.push(t("handoff_summary_abandoned", { abandoned: num(overall.abandoned), share: percent.format(overall.abandoned_share) }));
    }
    if (overall.ratings) { parts.push(t("handoff_summary_ratings", { ratings: num(overall.ratings), mean: num(overall.rating_mean) })); }
    return parts.join(" ");
  }
  function drawRatings(distribution) {
    var body = $("handoff-ratings").querySelector("tbody");
    body.textContent = "";
    ["1", "2", "3", "4", "5"].forEach(function (score) {
      var row = el("tr");
      row.appendChild(el("th", num(Number(score)), { scope: "row" }));
      row.appendChild(el("td", num(distribution[score] || 0)));
      body.appendChild(row);
    });
  }
  /* Median and 90th percentile of the wait per desk, in minutes, as paired bars with labelled axes. */
  function drawWaitChart(byDesk) {
    var figure = $("chart-handoff-wait");
    var plot = figure.querySelector(".plot"), legend = figure.querySelector(".legend");
    plot.textContent = ""; legend.textContent = "";
    var desks = Object.keys(byDesk).filter(function (key) { return byDesk[key].waiting.count; });
    var summary = T.handoff_wait_none;
    if (desks.length) {
      var longest = desks.reduce(function (a, b) { return byDesk[b].waiting.median > byDesk[a].waiting.median ? b : a; });
      summary = t("handoff_wait_summary", { desk: groupName("by_desk", longest),
        median: duration(byDesk[longest].waiting.median), p90: duration(byDesk[longest].waiting.p90) });
    }
    figure.querySelector(".summary").textContent = summary;
    if (!desks.length) { return; }
    var width = Math.max(300, Math.round(plot.clientWidth || 640)), height = 260;
    var left = 64, right = 16, top = 12, bottom = 56, inner = height - top - bottom, base = top + inner;
    var max = Math.max.apply(null, [1].concat(desks.map(function (key) { return byDesk[key].waiting.p90 / 60; })));
    var step = tickStep(max, 5), ceiling = Math.ceil(max / step) * step;
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.setAttribute("width", width); svg.setAttribute("height", height);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", figure.querySelector("figcaption").textContent + ". " + summary);
    function add(tag, attrs, text) {
      var node = document.createElementNS(SVG, tag);
      Object.keys(attrs).forEach(function (name) { node.setAttribute(name, attrs[name]); });
      if (text !== undefined) { node.textContent = text; }
      svg.appendChild(node);
      return node;
    }
    function label(x, y, text, kind, rotate) {
      var attrs = { x: x, y: y, "font-size": "13", "text-anchor": kind === "tick y-tick" ? "end" : "middle", fill: "#1b1b1b", "class": kind };
      if (rotate) { attrs.transform = "rotate(-90 " + x + " " + y + ")"; }
      return add("text", attrs, text);
    }
    for (var value = 0; value <= ceiling; value += step) {
      var y = base - inner * value / ceiling;
      if (value > 0) { add("line", { x1: left, x2: width - right, y1: y, y2: y, stroke: "#d9d9d9" }); }
      label(left - 6, y + 4, num(value), "tick y-tick");
    }
    add("line", { x1: left, x2: left, y1: top, y2: base, stroke: "#1b1b1b" });
    add("line", { x1: left, x2: width - right, y1: base, y2: base, stroke: "#1b1b1b" });
    label(16, top + inner / 2, T.axis_minutes, "axis-label", true);
    label(left + (width - right - left) / 2, height - 8, T.axis_desk, "axis-label");
    var slot = (width - right - left) / desks.length, bar = Math.max(2, slot * 0.35);
    desks.forEach(function (key, index) {
      var x = left + index * slot + slot / 2;
      [byDesk[key].waiting.median, byDesk[key].waiting.p90].forEach(function (seconds, k) {
        var h = inner * (seconds / 60) / ceiling;
        add("rect", { x: x - bar + k * bar, y: base - h, width: bar, height: h, fill: COLOURS[k], "class": k ? "p90" : "median" });
      });
      var name = groupName("by_desk", key), fits = Math.max(4, Math.floor(slot / 7.5));
      label(x, base + 20, name.length > fits ? name.slice(0, fits - 1) + "…" : name, "tick x-tick");
    });
    plot.appendChild(svg);
    [T.legend_median, T.legend_p90].forEach(function (text, k) {
      var item = el("li");
      var swatch = el("span", null, { "class": "swatch", "aria-hidden": "true" });
      swatch.style.backgroundColor = COLOURS[k];
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(text));
      legend.appendChild(item);
    });
  }
  var lastHandoffs = null;
  function drawHandoffs(report) {
    lastHandoffs = report;
    $("handoff-summary").textContent = handoffSummary(report.overall);
    drawWaitChart(report.by_desk);
    Object.keys(HANDOFF_TABLES).forEach(function (id) { drawHandoffTable(id, report[HANDOFF_TABLES[id]], HANDOFF_TABLES[id]); });
    drawRatings(report.overall.rating_distribution);
  }
  function loadHandoffs() {
    return api("/api/v1/insights/handoffs?days=30").then(drawHandoffs,
      function (error) { problem(t("load_failed", { error: error.message })); });
  }
  function exportHandoffs() {
    download("/api/v1/insights/handoffs.csv?days=30", "handoffs.csv")
      .catch(function (error) { problem(t("load_failed", { error: error.message })); });
  }

  // Signed in (staff.js) -------------------------------------------------------------------------
  function showWorkspace(me) {
    var analyst = me.role === "analyst";
    writer = config.writerRoles.indexOf(me.role) >= 0;
    $("actions-column").hidden = !writer;
    $("ministry-field").hidden = !analyst;  // a ministry key sees its own concerns only
    $("ministry").disabled = !analyst;
    $("unanswered-section").hidden = !analyst;  // it spans every ministry and channel
    $("handoff-section").hidden = !analyst;  // so do the handoffs
    offset = 0;
    load(false);
    if (analyst) { loadInsights(); loadHandoffs(); }
  }
  $("filters").addEventListener("submit", function (event) { event.preventDefault(); offset = 0; load(false); });
  $("export").addEventListener("click", exportCsv);
  $("export-unanswered").addEventListener("click", exportUnanswered);
  $("export-handoffs").addEventListener("click", exportHandoffs);
  $("previous").addEventListener("click", function () { offset = Math.max(0, offset - PAGE); load(true); });
  $("next").addEventListener("click", function () { offset += PAGE; load(true); });
  staff.resume();
})();
