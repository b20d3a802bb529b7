/* Baraza ministry console: compose, preview, submit, approve, follow delivery (signing in: staff.js).
   Talks only to Baraza's own API (/api/v1). */
"use strict";
(function () {
  var config = JSON.parse(document.getElementById("console-config").textContent);
  var T = config.texts;
  var watching = null;
  var staff = window.BarazaStaff({
    config: config,
    storageKey: "baraza.console.key",
    onSignIn: function () { refresh(); },
    onSignOut: function () { stopWatching(); }
  });
  var $ = staff.$, t = staff.t, say = staff.say, problem = staff.problem, api = staff.api;

  // Composing -----------------------------------------------------------------------------------
  function checked(name) {
    return Array.prototype.map.call(document.querySelectorAll("input[name=" + name + "]:checked"), function (box) { return box.value; });
  }
  function markField(field, message) {
    field.setAttribute("aria-invalid", message ? "true" : "false");
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
        markField(field, missing);
        if (missing) { invalid.push(field); }
      });
      if (filled) {
        body.texts[code] = { headline: headline.value.trim(), description: description.value.trim(), instruction: instruction.value.trim() };
      }
    });
    $("regions-error").textContent = body.regions.length ? "" : T.choose_region;
    if (!body.regions.length) { invalid.push(document.querySelector("input[name=region]")); }
    if (!(body.expires_in_hours >= 1)) { markField($("hours"), true); invalid.push($("hours")); } else { markField($("hours"), false); }
    if (invalid.length) {
      problem(T.fix_errors);
      invalid[0].focus();
      return null;
    }
    return body;
  }

  $("preview").addEventListener("click", function () {
    var body = readForm();
    if (!body) { return; }
    api("POST", "/api/v1/alerts/preview", body).then(function (data) {
      var area = $("previews");
      area.textContent = "";
      config.languages.forEach(function (code) {
        var block = document.createElement("div");
        block.className = "preview";
        var title = document.createElement("h4");
        title.textContent = config.languageNames[code];
        var text = document.createElement("p");
        text.lang = code;
        text.dir = config.directions[code];
        text.textContent = data.messages[code];
        block.appendChild(title);
        block.appendChild(text);
        area.appendChild(block);
      });
      $("preview-area").hidden = false;
      $("preview-heading").setAttribute("tabindex", "-1");
      $("preview-heading").focus();
    }, function (error) { problem(t("error", { message: error.message })); });
  });

  $("compose").addEventListener("submit", function (event) {
    event.preventDefault();
    var body = readForm();
    if (!body) { return; }
    api("POST", "/api/v1/alerts", body).then(function (record) {
      $("compose").reset();
      $("preview-area").hidden = true;
      if (record.status === "sending") { say(T.submitted_sending); watch(record); } else { say(T.submitted_pending); }
      refresh();
    }, function (error) { problem(t("error", { message: error.message })); });
  });

  // The list of alerts --------------------------------------------------------------------------
  function headlineOf(record) {
    var texts = record.alert.texts;
    var text = texts[config.language] || texts[Object.keys(texts)[0]];
    return text.headline;
  }
  function button(label, handler) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "secondary";
    element.textContent = label;
    element.addEventListener("click", handler);
    return element;
  }
  function refresh() {
    return api("GET", "/api/v1/alerts?limit=50").then(function (data) {
      var body = $("alerts").querySelector("tbody");
      body.textContent = "";
      $("no-alerts").hidden = data.alerts.length > 0;
      data.alerts.forEach(function (record) {
        var row = document.createElement("tr");
        var cells = [
          headlineOf(record),
          T["status_" + record.status] || record.status,
          record.alert.regions.map(function (r) { return config.regions[r] || r; }).join(", "),
          new Date(record.created_at).toLocaleString(config.language)
        ];
        cells.forEach(function (value, index) {
          var cell = document.createElement(index === 0 ? "th" : "td");
          if (index === 0) { cell.scope = "row"; }
          cell.textContent = value;
          row.appendChild(cell);
        });
        var actions = document.createElement("td");
        var name = headlineOf(record);
        if (record.status === "pending_approval") {
          var approve = button(T.approve, function () {
            api("POST", "/api/v1/alerts/" + record.id + "/approve").then(function (changed) {
              say(T.approved); watch(changed); refresh();
            }, function (error) { problem(t("error", { message: error.message })); });
          });
          approve.setAttribute("aria-label", T.approve + ": " + name);
          actions.appendChild(approve);
        }
        if (record.status === "sending" || record.status === "sent") {
          var follow = button(T.progress, function () { watch(record); });
          follow.setAttribute("aria-label", T.progress + ": " + name);
          actions.appendChild(follow);
        }
        if (["draft", "pending_approval", "sending", "sent"].indexOf(record.status) >= 0) {
          var cancel = button(T.cancel_alert, function () {
            if (!window.confirm(T.confirm_cancel)) { return; }
            api("POST", "/api/v1/alerts/" + record.id + "/cancel", {}).then(function () {
              say(T.cancelled); refresh();
            }, function (error) { problem(t("error", { message: error.message })); });
          });
          cancel.setAttribute("aria-label", T.cancel_alert + ": " + name);
          actions.appendChild(cancel);
        }
        row.appendChild(actions);
        body.appendChild(row);
      });
    }, function (error) { problem(t("error", { message: error.message })); });
  }
  $("refresh").addEventListener("click", refresh);

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
        var text = t("progress_counts", { sent: d.sent, failed: d.failed, remaining: d.remaining, total: d.total });
        if (d.skipped) { text += " " + skippedText(d); }
        if (d.complete) { text += " " + T.progress_done; }
        if (text !== lastText) { $("progress-text").textContent = text; lastText = text; }
        if (d.complete) { watching = null; refresh(); } else { watching = setTimeout(poll, 1000); }
      }, function (error) { problem(t("error", { message: error.message })); });
    }
    poll();
  }

  staff.resume();
})();
