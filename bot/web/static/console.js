/* Baraza ministry console: compose, preview, save a draft or submit; review an alert (every text, its
   regions and times, what citizens will see) and only then act on it; follow delivery (signing in:
   staff.js). Talks only to Baraza's own API (/api/v1). Which moves a key may make is the API's answer
   (/review, from the lifecycle's tables), never decided here. Errors sit next to their control. */
"use strict";
(function () {
  var config = JSON.parse(document.getElementById("console-config").textContent);
  var T = config.texts;
  var watching = null;
  var reviewing = null;  // the id of the alert open in the review panel
  var staff = window.BarazaStaff({
    config: config,
    storageKey: "baraza.console.key",
    onSignIn: function () { closeReview(); refresh(); },
    onSignOut: function () { stopWatching(); closeReview(); }
  });
  var $ = staff.$, t = staff.t, problem = staff.problem, api = staff.api;
  // Dates and numbers as the person's browser writes them (en-GB: 01/12/2026, 14:30).
  var locale = navigator.language || config.language;
  var when = new Intl.DateTimeFormat(locale, { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
  var numbers = new Intl.NumberFormat(locale);
  function moment(iso) { return when.format(new Date(iso)); }

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    return node;
  }
  function joined(items) {
    try { return new Intl.ListFormat(config.language, { style: "short", type: "unit" }).format(items); }
    catch (error) { return items.join(", "); }
  }

  // Composing -----------------------------------------------------------------------------------
  function checked(name) {
    return Array.prototype.map.call(document.querySelectorAll("input[name=" + name + "]:checked"), function (box) { return box.value; });
  }
  /* A field's written error (under it, read with it through aria-describedby), or none. */
  function fieldError(field, message) {
    field.setAttribute("aria-invalid", message ? "true" : "false");
    var note = $(field.id + "-error");
    if (note) { note.textContent = message || ""; }
  }
  function composeFeedback(status, error) {
    $("compose-status").textContent = status || "";
    $("compose-error").textContent = error || "";
  }
  function readForm() {
    var body = {
      severity: $("severity").value, urgency: $("urgency").value, certainty: $("certainty").value,
      category: $("category").value, regions: checked("region"), expires_in_hours: Number($("hours").value), texts: {}
    };
    var topics = checked("topic");
    if (topics.length) { body.topics = topics; }
    var invalid = [];
    config.languages.forEach(function (code, index) {
      var headline = $("headline-" + code), description = $("description-" + code), instruction = $("instruction-" + code);
      var filled = headline.value.trim() || description.value.trim();
      [headline, description].forEach(function (field) {
        var missing = (index === 0 || filled) && !field.value.trim();
        fieldError(field, missing ? T.field_required : "");
        if (missing) { invalid.push(field); }
      });
      if (filled) {
        body.texts[code] = { headline: headline.value.trim(), description: description.value.trim(), instruction: instruction.value.trim() };
      }
    });
    $("regions-error").textContent = body.regions.length ? "" : T.choose_region;
    if (!body.regions.length) { invalid.push(document.querySelector("input[name=region]")); }
    var hoursOk = body.expires_in_hours >= 1 && body.expires_in_hours <= 720;
    fieldError($("hours"), hoursOk ? "" : T.hours_invalid);
    if (!hoursOk) { invalid.push($("hours")); }
    if (invalid.length) {
      composeFeedback("", T.fix_errors);
      invalid[0].focus();
      return null;
    }
    composeFeedback("", "");
    return body;
  }
  /* A field put right loses its error at once; the summary goes when nothing is left to fix. */
  $("compose").addEventListener("input", function (event) {
    var field = event.target;
    if (field.name === "region") {
      if (checked("region").length) { $("regions-error").textContent = ""; }
    } else if (field.getAttribute("aria-invalid") === "true" && field.value.trim()) {
      fieldError(field, "");
    }
    if (!document.querySelector("#compose [aria-invalid=true]") && !$("regions-error").textContent) {
      $("compose-error").textContent = "";
    }
  });

  function previewBlocks(area, messages) {
    area.textContent = "";
    config.languages.forEach(function (code) {
      var block = el("div", null, { "class": "preview" });
      block.appendChild(el("h4", config.languageNames[code]));
      block.appendChild(el("p", messages[code], { lang: code, dir: config.directions[code] }));
      area.appendChild(block);
    });
  }
  $("preview").addEventListener("click", function () {
    var body = readForm();
    if (!body) { return; }
    api("POST", "/api/v1/alerts/preview", body).then(function (data) {
      previewBlocks($("previews"), data.messages);
      $("preview-area").hidden = false;
      $("preview-heading").setAttribute("tabindex", "-1");
      $("preview-heading").focus();
    }, function (error) { composeFeedback("", t("error", { message: error.message })); });
  });

  function send(draft) {
    var body = readForm();
    if (!body) { return; }
    if (draft) { body.draft = true; }
    api("POST", "/api/v1/alerts", body).then(function (record) {
      $("compose").reset();
      $("preview-area").hidden = true;
      var text = draft ? T.saved_draft : (record.status === "sending" ? T.submitted_sending : T.submitted_pending);
      composeFeedback(text, "");
      if (record.status === "sending") { watch(record); }
      refresh();
    }, function (error) { composeFeedback("", t("error", { message: error.message })); });
  }
  $("compose").addEventListener("submit", function (event) { event.preventDefault(); send(false); });
  $("save-draft").addEventListener("click", function () { send(true); });

  // The list of alerts --------------------------------------------------------------------------
  function headlineOf(record) {
    var texts = record.alert.texts;
    var text = texts[config.language] || texts[Object.keys(texts)[0]];
    return text.headline;
  }
  function regionNames(record) {
    return joined(record.alert.regions.map(function (r) { return config.regions[r] || r; }));
  }
  function button(label, handler, attrs) {
    var element = el("button", label, Object.assign({ type: "button", "class": "secondary" }, attrs || {}));
    element.addEventListener("click", handler);
    return element;
  }
  function refresh() {
    return api("GET", "/api/v1/alerts?limit=50").then(function (data) {
      var body = $("alerts").querySelector("tbody");
      body.textContent = "";
      $("no-alerts").hidden = data.alerts.length > 0;
      data.alerts.forEach(function (record) {
        var row = el("tr");
        var headline = el("th", headlineOf(record), { scope: "row" });
        row.appendChild(headline);
        row.appendChild(el("td", T["status_" + record.status] || record.status));
        row.appendChild(el("td", regionNames(record)));
        row.appendChild(el("td", moment(record.created_at)));
        var actions = el("td");
        // One way in for every alert: its review, where the moves this key may make are offered.
        actions.appendChild(button(T.open_alert, function () { openReview(record.id); }, {
          "aria-label": t("open_alert_label", { headline: headlineOf(record) }), "data-alert": record.id
        }));
        row.appendChild(actions);
        body.appendChild(row);
      });
    }, function (error) { problem(t("error", { message: error.message })); });
  }
  $("refresh").addEventListener("click", refresh);

  // Reviewing one alert, then acting on it ---------------------------------------------------------
  var MOVE_LABELS = { submit: "submit", approve: "approve", cancel: "cancel_alert" };
  var MOVE_DONE = { approve: "approved", cancel: "cancelled" };
  function fact(list, label, value) {
    list.appendChild(el("dt", label));
    list.appendChild(el("dd", value));
  }
  function closeReview() {
    reviewing = null;
    $("review").hidden = true;
  }
  /* Who did what when: the person and key of each move (the system's have neither); a cancellation's
     note is the person's own words, the system's notes are not shown. */
  function showHistory(entries) {
    var list = $("review-history");
    list.textContent = "";
    entries.forEach(function (entry) {
      var named = entry.person && entry.person.indexOf("key:") !== 0;
      var who = named ? t("history_who", { person: entry.person, key: entry.actor }) : t("history_key", { key: entry.actor });
      var line = moment(entry.at) + " \u2014 " + t("history_" + entry.move, { who: who });
      if (entry.move === "cancel" && entry.note) { line += ". " + t("history_note", { note: entry.note }); }
      list.appendChild(el("li", line));
    });
  }
  function showReview(data) {
    var record = data.alert, alert = record.alert;
    reviewing = record.id;
    $("review-heading").textContent = t("review_heading", { headline: headlineOf(record) });
    var facts = $("review-facts");
    facts.textContent = "";
    fact(facts, T.col_status, T["status_" + record.status] || record.status);
    fact(facts, T.severity_label, config.severities[alert.severity] || alert.severity);
    fact(facts, T.urgency_label, T["urgency_" + alert.urgency.toLowerCase()] || alert.urgency);
    fact(facts, T.certainty_label, T["certainty_" + alert.certainty.toLowerCase()] || alert.certainty);
    fact(facts, T.category_label, T["category_" + alert.category.toLowerCase()] || alert.category);
    fact(facts, T.regions_legend, regionNames(record));
    fact(facts, T.topics_heading, joined(alert.topics.map(function (topic) { return config.topics[topic] || topic; })));
    fact(facts, T.in_force_label, t("in_force_value", { start: moment(alert.effective), end: moment(alert.expires) }));
    fact(facts, T.col_created, moment(record.created_at));
    var texts = $("review-texts");
    texts.textContent = "";
    Object.keys(alert.texts).forEach(function (code) {
      var text = alert.texts[code];
      var block = el("div", null, { "class": "preview", lang: code, dir: config.directions[code] || "auto" });
      block.appendChild(el("h4", config.languageNames[code] || code, { lang: config.language, dir: document.documentElement.dir }));
      block.appendChild(el("p", text.headline, { "class": "headline" }));
      block.appendChild(el("p", text.description));
      if (text.instruction) { block.appendChild(el("p", text.instruction)); }
      texts.appendChild(block);
    });
    previewBlocks($("review-previews"), data.messages);
    showHistory(record.history);
    var actions = $("review-actions");
    actions.textContent = "";
    // Offered only now, with every text and preview on the page, and only what the API allows.
    data.moves.forEach(function (move) {
      actions.appendChild(button(T[MOVE_LABELS[move]] || move, function (event) { act(record, move, event.target); },
        { "data-move": move, "aria-describedby": "review-error", "class": move === "cancel" ? "secondary" : "primary" }));
    });
    if (data.live) {
      actions.appendChild(button(T.progress, function () { watch(record); }, { "data-move": "progress" }));
    }
    actions.appendChild(button(T.close_review, function () {
      closeReview();
      var opener = document.querySelector("#alerts button[data-alert='" + record.id + "']");
      if (opener) { opener.focus(); }
    }));
    var waiting = record.status === "pending_approval" && data.moves.indexOf("approve") < 0;
    $("review-hint").textContent = waiting ? T.waiting_other_approver : (data.moves.length || data.live ? "" : T.no_moves);
    $("review").hidden = false;
  }
  /* Opens (or, quietly, refreshes) the review of alert ``id``; ``status`` is what the last move did. */
  function openReview(id, status, quiet) {
    $("review-error").textContent = "";
    $("review-status").textContent = status || "";
    return api("GET", "/api/v1/alerts/" + encodeURIComponent(id) + "/review").then(function (data) {
      showReview(data);
      if (!quiet) { $("review-heading").focus(); }  // scrolls it into view; its status line is announced
    }, function (error) { problem(t("error", { message: error.message })); });
  }
  function act(record, move, control) {
    $("review-error").textContent = "";
    if (move === "cancel" && !window.confirm(T.confirm_cancel)) { return; }
    api("POST", "/api/v1/alerts/" + encodeURIComponent(record.id) + "/" + move, move === "cancel" ? {} : undefined).then(function (changed) {
      var done = MOVE_DONE[move] ? T[MOVE_DONE[move]] : (changed.status === "sending" ? T.submitted_sending : T.submitted_pending);
      if (changed.status === "sending") { watch(changed); }
      refresh();
      openReview(record.id, done);
    }, function (error) {
      $("review-error").textContent = t("error", { message: error.message });
      control.focus();
    });
  }

  // Delivery progress ---------------------------------------------------------------------------
  // Deliveries that no channel here could make, with why: never counted as sent.
  function skippedText(d) {
    var reasons = (d.skipped_reasons || []).map(function (r) {
      return t("skip_" + r.reason, { count: r.count, channel: r.channel });
    });
    return t("progress_skipped", { skipped: d.skipped }) + " " + reasons.join("; ") + ".";
  }
  function stopWatching() { if (watching) { clearTimeout(watching); watching = null; } }
  function watch(record) {
    stopWatching();
    $("progress-area").hidden = false;
    $("progress-heading").textContent = t("progress_heading", { headline: headlineOf(record) });
    var lastText = "";
    function poll() {
      api("GET", "/api/v1/alerts/" + record.id + "/progress").then(function (data) {
        var d = data.deliveries;
        var done = d.sent + d.failed + d.skipped;
        var percent = d.complete ? 100 : (d.total ? Math.floor(100 * done / d.total) : 0);
        $("progress-bar").value = percent;
        $("progress-bar").textContent = percent + "%";
        var text = t("progress_counts", {
          sent: numbers.format(d.sent), failed: numbers.format(d.failed),
          remaining: numbers.format(d.remaining), total: numbers.format(d.total)
        });
        if (d.skipped) { text += " " + skippedText(d); }
        if (d.complete) { text += " " + T.progress_done; }
        if (text !== lastText) { $("progress-text").textContent = text; lastText = text; }
        if (d.complete) {
          watching = null;
          refresh();
          if (reviewing === record.id) { openReview(record.id, $("review-status").textContent, true); }
        } else { watching = setTimeout(poll, 1000); }
      }, function (error) { problem(t("error", { message: error.message })); });
    }
    poll();
  }

  staff.resume();
})();
