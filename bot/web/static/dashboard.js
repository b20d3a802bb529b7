/* Baraza analyst dashboard: filters, charts over time, rising words, table, CSV export (signing in:
   staff.js). Talks only to Baraza's own API (/api/v1/concerns). Every chart's numbers are also given
   as a table and a sentence. */
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
  function day(iso) {
    try {
      return new Intl.DateTimeFormat(config.language, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" })
        .format(new Date(iso.length === 10 ? iso + "T00:00:00Z" : iso));
    } catch (error) { return iso.slice(0, 10); }
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
  function drawChart(id, series, field, names) {
    var figure = $(id);
    var plot = figure.querySelector(".plot");
    var legend = figure.querySelector(".legend");
    var data = figure.querySelector(".data");
    plot.textContent = ""; legend.textContent = ""; data.textContent = "";
    var keys = seriesNames(series, field);
    var width = 640, height = 220, left = 36, bottom = 24;
    var max = Math.max.apply(null, [1].concat(series.map(function (b) { return b.total; })));
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.setAttribute("role", "img");
    var summary;
    if (!series.length) {
      summary = T.no_results;
    } else {
      var peak = series.reduce(function (a, b) { return b.total > a.total ? b : a; });
      var sum = series.reduce(function (n, b) { return n + b.total; }, 0);
      summary = t("chart_summary", { total: sum, first: day(series[0].period), last: day(series[series.length - 1].period), peak: day(peak.period), peak_count: peak.total });
    }
    svg.setAttribute("aria-label", figure.querySelector("figcaption").textContent + ". " + summary);
    var slot = (width - left) / Math.max(series.length, 1);
    var barWidth = Math.max(2, slot * 0.8);
    var axis = document.createElementNS(SVG, "line");
    axis.setAttribute("x1", left); axis.setAttribute("x2", width); axis.setAttribute("y1", height - bottom); axis.setAttribute("y2", height - bottom);
    axis.setAttribute("stroke", "#1b1b1b");
    svg.appendChild(axis);
    function label(x, y, text, anchor) {
      var node = document.createElementNS(SVG, "text");
      node.setAttribute("x", x); node.setAttribute("y", y); node.setAttribute("font-size", "12");
      node.setAttribute("text-anchor", anchor); node.setAttribute("fill", "#1b1b1b");
      node.textContent = text;
      svg.appendChild(node);
    }
    label(left - 4, 12, String(max), "end");
    label(left - 4, height - bottom, "0", "end");
    series.forEach(function (bucket, index) {
      var y = height - bottom;
      keys.forEach(function (key, k) {
        var count = bucket[field][key] || 0;
        if (!count) { return; }
        var h = (height - bottom - 8) * count / max;
        var bar = document.createElementNS(SVG, "rect");
        bar.setAttribute("x", left + index * slot + (slot - barWidth) / 2);
        bar.setAttribute("y", y - h); bar.setAttribute("width", barWidth); bar.setAttribute("height", h);
        bar.setAttribute("fill", COLOURS[k % COLOURS.length]);
        svg.appendChild(bar);
        y -= h;
      });
    });
    if (series.length) {
      label(left, height - 6, day(series[0].period), "start");
      if (series.length > 1) { label(width, height - 6, day(series[series.length - 1].period), "end"); }
    }
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
      keys.forEach(function (key) { row.appendChild(el("td", String(bucket[field][key] || 0))); });
      row.appendChild(el("td", String(bucket.total)));
      body.appendChild(row);
    });
    data.appendChild(table);
  }

  // Rising words and the table --------------------------------------------------------------------
  function drawRising(terms) {
    var list = $("rising");
    list.textContent = "";
    if (!terms.length) { list.appendChild(el("li", T.rising_none)); return; }
    terms.forEach(function (term) {
      list.appendChild(el("li", t("rising_item", { term: term.term, this_week: term.this_week, last_week: term.last_week })));
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
      ? t("table_caption", { first: offset + 1, last: offset + page.concerns.length, total: page.total })
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
    actions.appendChild(el("button", T.save, { type: "submit" }));
    var cancel = el("button", T.cancel, { type: "button", "class": "secondary" });
    actions.appendChild(cancel);
    form.appendChild(actions);
    cell.appendChild(form);
    formRow.appendChild(cell);
    row.after(formRow);
    button.setAttribute("aria-expanded", "true");
    select.focus();
    cancel.addEventListener("click", function () { closeAnswer(); button.focus(); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      staff.api("POST", "/api/v1/concerns/" + encodeURIComponent(concern.ticket) + "/status",
        { status: select.value, note: note.value.trim() }).then(function () {
        load(true).then(function () { say(t("saved", { ticket: concern.ticket })); });
      }, function (error) { problem(t("update_failed", { error: error.message })); note.focus(); });
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
      drawChart("chart-category", results[0].series, "by_category", config.categories);
      drawChart("chart-region", results[0].series, "by_region", config.regions);
      drawRising(results[1].terms);
      drawTable(results[2]);
      say(results[2].total ? t("loaded", { total: results[2].total }) : T.no_results);
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
      say(t("exported", { count: total }));
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
      row.appendChild(el("td", new Intl.NumberFormat(document.documentElement.lang).format(group.count)));
      row.appendChild(el("td", group.example));
      row.appendChild(el("td", group.languages.map(function (code) { return config.languageNames[code] || code; })
        .join(document.documentElement.lang === "ar" ? "، " : ", ")));
      body.appendChild(row);
    });
  }
  function drawUnderstood(days) {
    var body = $("understood").querySelector("tbody");
    body.textContent = "";
    var percent = new Intl.NumberFormat(document.documentElement.lang, { style: "percent", maximumFractionDigits: 0 });
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

  // Signed in (staff.js) -------------------------------------------------------------------------
  function showWorkspace(me) {
    var analyst = me.role === "analyst";
    writer = config.writerRoles.indexOf(me.role) >= 0;
    $("actions-column").hidden = !writer;
    $("ministry-field").hidden = !analyst;  // a ministry key sees its own concerns only
    $("ministry").disabled = !analyst;
    $("unanswered-section").hidden = !analyst;  // it spans every ministry and channel
    offset = 0;
    load(false);
    if (analyst) { loadInsights(); }
  }
  $("filters").addEventListener("submit", function (event) { event.preventDefault(); offset = 0; load(false); });
  $("export").addEventListener("click", exportCsv);
  $("export-unanswered").addEventListener("click", exportUnanswered);
  $("previous").addEventListener("click", function () { offset = Math.max(0, offset - PAGE); load(true); });
  $("next").addEventListener("click", function () { offset += PAGE; load(true); });
  staff.resume();
})();
