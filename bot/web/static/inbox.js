/* Baraza agents' inbox: the desks' queues, claim, the conversation so far, reply (canned answers in
   the citizen's language), transfer with a note, end with a reason (signing in: staff.js). Live: the
   desks' events arrive as Server-Sent Events from /api/v1/handoffs/events, read with fetch so that the
   key travels in the Authorization header (EventSource cannot send it), and only say "refresh": the
   API stays the truth. New citizen messages of the open conversation are announced (aria-live). */
"use strict";
(function () {
  var config = JSON.parse(document.getElementById("inbox-config").textContent);
  var T = config.texts;
  var staff = window.BarazaStaff({
    config: config, storageKey: "baraza.inbox.key", mePath: "/api/v1/handoffs/me",
    refusedText: T.not_agent, onSignIn: start, onSignOut: stop
  });
  var $ = staff.$, t = staff.t, say = staff.say, problem = staff.problem;
  var me = null;
  var openId = null;        // the handoff shown in the conversation pane
  var openMessages = 0;     // how many messages it showed, to announce the new ones
  var canned = {};          // language -> [{id, text}]
  var live = null;          // the AbortController of the event stream
  var fetchedAt = 0;        // when the queues were read (waiting times tick from there)
  var refreshTimer = null;

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    return node;
  }
  function announce(text) {
    // Emptied first so the same words said twice are announced twice.
    $("announce").textContent = "";
    window.setTimeout(function () { $("announce").textContent = text; }, 50);
  }
  function languageName(code) { return config.languageNames[code] || code; }
  function waitText(seconds) {
    var minutes = Math.floor(seconds / 60);
    return t("wait_minutes", { minutes: String(minutes), seconds: String(seconds % 60) });
  }

  // Queues --------------------------------------------------------------------------------------
  function item(handoff, list) {
    var li = el("li", null, { "data-handoff": handoff.id });
    if (handoff.urgent) { li.className = "urgent"; }
    if (handoff.id === openId) { li.className += " open"; }
    var line = el("p", null, { "class": "line", id: "line-" + handoff.id });
    if (handoff.urgent) { line.appendChild(el("span", T.urgent_label + " ", { "class": "urgent-label" })); }
    line.appendChild(document.createTextNode(t("item_summary", {
      language: languageName(handoff.language), channel: handoff.channel, desk: handoff.desk
    })));
    li.appendChild(line);
    var wait = el("p", null, { "class": "line wait", "data-waited": String(handoff.waited_seconds), "data-status": handoff.status });
    wait.textContent = handoff.status === "waiting" ? t("waiting_for", { wait: waitText(handoff.waited_seconds) })
      : t("held_by", { agent: handoff.mine ? T.held_by_you : handoff.agent });
    li.appendChild(wait);
    var actions = el("div", null, { "class": "actions" });
    var label = handoff.status === "waiting" ? T.open_waiting : T.open;
    var open = el("button", label, { type: "button", "class": "secondary", "aria-describedby": "line-" + handoff.id });
    open.addEventListener("click", function () { show(handoff.id, true); });
    actions.appendChild(open);
    if (list === "waiting") {
      var claimButton = el("button", T.claim, { type: "button", "aria-describedby": "line-" + handoff.id });
      claimButton.addEventListener("click", function () { claim(handoff.id); });
      actions.appendChild(claimButton);
    }
    li.appendChild(actions);
    return li;
  }
  function fill(name, handoffs) {
    var list = $(name);
    list.textContent = "";
    handoffs.forEach(function (handoff) { list.appendChild(item(handoff, name)); });
    $(name + "-empty").hidden = handoffs.length > 0;
    $(name + "-count").textContent = "(" + handoffs.length + ")";
  }
  function refresh() {
    return staff.api("GET", "/api/v1/handoffs").then(function (queues) {
      // A live refresh redraws the lists: the keyboard's place in them is kept.
      var active = document.activeElement;
      var row = active && active.closest ? active.closest(".handoffs li") : null;
      var kept = row ? { id: row.getAttribute("data-handoff"), button: Array.prototype.indexOf.call(row.querySelectorAll("button"), active) } : null;
      fetchedAt = Date.now();
      fill("waiting", queues.waiting);
      fill("mine", queues.mine);
      fill("held", queues.held.filter(function (h) { return !h.mine; }));
      if (kept) {
        var again = document.querySelector(".handoffs li[data-handoff='" + kept.id + "']");
        if (again) {
          var buttons = again.querySelectorAll("button");
          (buttons[kept.button] || buttons[0]).focus();
        }
      }
    }, function (error) { problem(error.message); });
  }
  function refreshSoon() {
    if (refreshTimer) { return; }
    refreshTimer = window.setTimeout(function () { refreshTimer = null; refresh(); }, 400);  // a busy desk: one read per 0.4 s
  }
  function tick() {
    var elapsed = Math.floor((Date.now() - fetchedAt) / 1000);
    Array.prototype.forEach.call(document.querySelectorAll(".wait[data-status=waiting]"), function (node) {
      node.textContent = t("waiting_for", { wait: waitText(Number(node.getAttribute("data-waited")) + elapsed) });
    });
  }

  // The open conversation -------------------------------------------------------------------------
  function fact(list, name, value) { list.appendChild(el("dt", name)); list.appendChild(el("dd", value)); }
  /* Open a conversation (focus: the agent asked for it) or bring the open one up to date (a live
     event: it may have been closed, transferred or ended meanwhile, and then nothing is shown). */
  function show(handoffId, focus) {
    return staff.api("GET", "/api/v1/handoffs/" + encodeURIComponent(handoffId) + "/conversation").then(function (data) {
      if (!focus && openId !== handoffId) { return; }
      var handoff = data.handoff;
      var fresh = openId !== handoffId;
      openId = handoffId;
      $("conversation").hidden = false;
      var facts = $("facts");
      facts.textContent = "";
      fact(facts, T.fact_language, languageName(handoff.language));
      fact(facts, T.fact_channel, handoff.channel);
      fact(facts, T.fact_desk, handoff.desk);
      fact(facts, T.fact_status, T["status_" + handoff.status] || handoff.status);
      if (handoff.urgent) { fact(facts, T.urgent_label, T["distress_" + handoff.distress] || handoff.distress || ""); }
      $("redacted-note").hidden = !data.redacted;
      var notes = $("notes");
      notes.textContent = "";
      handoff.notes.forEach(function (note) {
        notes.appendChild(el("p", t("transfer_note", { from: note.from, note: note.note || "-" }), { "class": "hint", dir: "auto" }));
      });
      var list = $("messages");
      list.textContent = "";
      data.messages.forEach(function (message) {
        var who = message.from === "user" ? "user" : (message.person ? "person" : "bot");
        var li = el("li", null, { "class": who });
        li.appendChild(el("span", { user: T.from_user, person: T.from_person, bot: T.from_bot }[who], { "class": "from" }));
        li.appendChild(el("span", message.text, { "class": "text", dir: message.direction || "auto", lang: message.language || handoff.language }));
        list.appendChild(li);
      });
      list.scrollTop = list.scrollHeight;
      $("messages-empty").hidden = data.messages.length > 0;
      if (!fresh && data.messages.length > openMessages) {
        var said = data.messages.slice(openMessages).filter(function (m) { return m.from === "user"; });
        if (said.length) { announce(t("new_message", { text: said.map(function (m) { return m.text; }).join(" ") })); }
      }
      openMessages = data.messages.length;
      $("claim-open").hidden = handoff.status !== "waiting";
      $("holder-tools").hidden = !handoff.mine;
      if (handoff.mine) { fillCanned(handoff.language); fillDesks(handoff.desk); }
      Array.prototype.forEach.call(document.querySelectorAll(".handoffs li"), function (li) {
        li.classList.toggle("open", li.getAttribute("data-handoff") === openId);
      });
      if (focus) { $("conversation-heading").focus(); }
    }, function (error) {
      if (!focus && (error.status === 403 || error.status === 404)) {  // gone to another desk
        if (openId === handoffId) { close(); }
        return;
      }
      problem(error.message);
    });
  }
  function close() { openId = null; openMessages = 0; $("conversation").hidden = true; }
  function fillCanned(language) {
    var list = $("canned");
    list.textContent = "";
    (canned[language] || []).forEach(function (answer) {
      var li = el("li");
      li.appendChild(el("span", answer.text, { lang: language, dir: config.directions[language] || "auto" }));
      var use = el("button", T.canned_use, { type: "button", "class": "secondary", "aria-label": t("canned_use_label", { text: answer.text }) });
      use.addEventListener("click", function () { $("reply").value = answer.text; $("reply").focus(); });
      li.appendChild(use);
      list.appendChild(li);
    });
  }
  function fillDesks(current) {
    var select = $("transfer-desk");
    select.textContent = "";
    me.all_desks.forEach(function (desk) {
      if (desk !== current) { select.appendChild(el("option", desk, { value: desk })); }
    });
  }

  // Acts ------------------------------------------------------------------------------------------
  function act(path, body) { return staff.api("POST", "/api/v1/handoffs/" + encodeURIComponent(openId) + path, body); }
  function claim(handoffId) {
    return staff.api("POST", "/api/v1/handoffs/" + encodeURIComponent(handoffId) + "/claim").then(function () {
      say(T.claimed_notice);
      refresh();
      return show(handoffId, true);
    }, function (error) {
      problem(error.status === 409 ? T.taken_notice : error.message);
      refresh();
    });
  }
  $("claim-open").addEventListener("click", function () { if (openId) { claim(openId); } });
  $("reply-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = $("reply").value.trim();
    if (!text) {
      $("reply-error").textContent = T.field_required;
      $("reply").setAttribute("aria-invalid", "true");
      $("reply").focus();
      return;
    }
    $("reply-error").textContent = "";
    $("reply").setAttribute("aria-invalid", "false");
    act("/reply", { text: text }).then(function (sent) {
      $("reply").value = "";
      say(sent.delivered ? T.sent_notice : T.sent_later_notice);
      show(openId, false);
      $("reply").focus();
    }, function (error) { problem(error.message); });
  });
  $("transfer-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var desk = $("transfer-desk").value;
    act("/transfer", { desk: desk, note: $("transfer-note").value }).then(function () {
      $("transfer-note").value = "";
      say(t("transferred_notice", { desk: desk }));
      close();
      refresh();
      $("main").focus();
    }, function (error) { problem(error.message); });
  });
  $("end-form").addEventListener("submit", function (event) {
    event.preventDefault();
    act("/end", { reason: $("end-reason").value }).then(function () {
      say(T.ended_notice);
      close();
      refresh();
      $("main").focus();
    }, function (error) { problem(error.message); });
  });

  // Live events -----------------------------------------------------------------------------------
  function handle(kind, data) {
    refreshSoon();
    if (kind === "queued") { announce(T.new_waiting_notice); }
    if (data && data.handoff_id === openId) { show(openId, false); }
  }
  function listen() {
    live = new AbortController();
    var controller = live;
    fetch("/api/v1/handoffs/events", { headers: staff.headers(), signal: controller.signal }).then(function (reply) {
      if (!reply.ok || !reply.body) { throw new Error(String(reply.status)); }
      $("live-state").textContent = T.live_on;
      refresh();  // whatever happened while the stream was not there
      var reader = reply.body.getReader();
      var decoder = new TextDecoder();
      var buffer = "";
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) { throw new Error("closed"); }
          buffer += decoder.decode(chunk.value, { stream: true });
          var blocks = buffer.split("\n\n");
          buffer = blocks.pop();
          blocks.forEach(function (block) {
            var kind = "message", data = "";
            block.split("\n").forEach(function (line) {
              if (line.indexOf("event: ") === 0) { kind = line.slice(7); }
              else if (line.indexOf("data: ") === 0) { data += line.slice(6); }
            });
            if (data) {
              var parsed = null;
              try { parsed = JSON.parse(data); } catch (error) { parsed = null; }
              handle(kind, parsed);
            }
          });
          return pump();
        });
      }
      return pump();
    }).catch(function () {
      if (controller.signal.aborted) { return; }
      $("live-state").textContent = T.live_lost;
      window.setTimeout(function () { if (live === controller) { listen(); } }, 2000);
    });
  }

  var ticker = null;
  function start(who) {
    me = who;
    $("desks").textContent = t("your_desks", { desks: who.desks.join(", ") });
    staff.api("GET", "/api/v1/handoffs/canned").then(function (data) { canned = data.answers; });
    refresh();
    listen();
    ticker = window.setInterval(tick, 10000);
  }
  function stop() {
    if (live) { live.abort(); live = null; }
    if (ticker) { window.clearInterval(ticker); ticker = null; }
    close();
  }
  staff.resume();
})();
