/* Baraza citizen chat: a small socket.io (Engine.IO v4 over WebSocket) client for Rasa's socket.io
   channel, with no framework. Every text is inserted with textContent, so nothing a user or the bot
   writes is ever run as HTML or script. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("baraza-config").textContent);
  var log = document.getElementById("log");
  var status = document.getElementById("status");
  var form = document.getElementById("composer");
  var input = document.getElementById("message");
  var select = document.getElementById("language");
  var language = config.language;
  var socket = null;
  var retryDelay = 1000;
  var ready = false;
  var queue = [];
  var sessionKey = "baraza.session";
  var waiting = null;  // the timer that says "no answer yet" when the assistant stays silent
  var sessionId = null;
  try { sessionId = window.localStorage.getItem(sessionKey); } catch (e) { sessionId = null; }

  function pageText(key) { return config.languages[language].page[key] || ""; }
  function directionOf(code) { return (config.languages[code] || {}).direction || "ltr"; }

  function applyPageLanguage() {
    document.documentElement.lang = language;
    document.documentElement.dir = directionOf(language);
    document.title = pageText("title");
    Array.prototype.forEach.call(document.querySelectorAll("[data-text]"), function (el) {
      el.textContent = pageText(el.getAttribute("data-text"));
    });
    input.placeholder = pageText("input_placeholder");
  }

  function setStatus(key) { status.textContent = pageText(key); }

  /* Text with web links made clickable, built from text nodes only. */
  function appendText(el, text) {
    var parts = String(text).split(/(https?:\/\/[^\s<>"]+)/);
    parts.forEach(function (part, i) {
      if (i % 2 === 1) {
        var a = document.createElement("a");
        a.href = part; a.textContent = part; a.rel = "noopener noreferrer"; a.target = "_blank";
        el.appendChild(a);
      } else if (part) {
        el.appendChild(document.createTextNode(part));
      }
    });
  }

  function addMessage(who, text, lang, dir) {
    var item = document.createElement("div");
    item.className = "msg " + who;
    item.lang = lang; item.dir = dir;
    var speaker = document.createElement("span");
    speaker.className = "visually-hidden";
    speaker.textContent = pageText(who === "bot" ? "bot" : "you") + ": ";
    item.appendChild(speaker);
    appendText(item, text);
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
    return item;
  }

  function addChoices(choices, lang, dir) {
    var list = document.createElement("ul");
    list.className = "choices"; list.lang = lang; list.dir = dir;
    choices.forEach(function (choice) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = choice.title;
      button.addEventListener("click", function () {
        send(choice.payload, choice.title);
        list.remove();
        input.focus();
      });
      li.appendChild(button);
      list.appendChild(li);
    });
    log.appendChild(list);
    log.scrollTop = log.scrollHeight;
  }

  function emit(event, data) { socket.send("42" + JSON.stringify([event, data])); }

  /* Every message gets an answer; silence (the assistant restarting) is said, not left to guess. */
  function expectAnswer() {
    window.clearTimeout(waiting);
    waiting = window.setTimeout(function () { setStatus("no_answer"); }, config.noAnswerAfterMs);
  }

  function onBotMessage(message) {
    if (waiting !== null) { window.clearTimeout(waiting); waiting = null; setStatus("connected"); }
    var meta = message.metadata || {};
    var lang = meta.language || language;
    var dir = meta.direction || directionOf(lang);
    if (meta.language && config.languages[meta.language] && meta.language !== language) {
      language = meta.language;
      select.value = language;
      applyPageLanguage();
      setStatus("connected");
    }
    if (message.text) { addMessage("bot", message.text, lang, dir); }
    var choices = message.quick_replies || message.buttons || [];
    if (choices.length) { addChoices(choices, lang, dir); }
  }

  /* The direction of what the citizen typed, from its letters (they may write in any script). */
  function directionOfText(text) {
    var rtl = (text.match(/[\u0590-\u08FF]/g) || []).length;
    var letters = (text.match(/[A-Za-z\u00C0-\u024F]/g) || []).length;
    return rtl > letters ? "rtl" : "ltr";
  }

  function send(text, shown) {
    if (!text) { return; }
    addMessage("user", shown || text, "", directionOfText(shown || text));
    var data = { message: text, session_id: sessionId, metadata: { language: language } };
    if (ready) { emit("user_uttered", data); } else { queue.push(data); }
    expectAnswer();
  }

  function connect() {
    var url = config.socketUrl.replace(/^http/, "ws") + "/socket.io/?EIO=4&transport=websocket";
    socket = new WebSocket(url);
    socket.onmessage = function (event) {
      var data = String(event.data);
      if (data.charAt(0) === "0") { socket.send("40"); return; }          // Engine.IO open
      if (data === "2") { socket.send("3"); return; }                      // ping -> pong
      if (data.indexOf("40") === 0) { emit("session_request", { session_id: sessionId }); return; }
      if (data.indexOf("42") !== 0) { return; }
      var packet = JSON.parse(data.slice(2));
      if (packet[0] === "session_confirm") {
        sessionId = packet[1];
        try { window.localStorage.setItem(sessionKey, sessionId); } catch (e) { /* private mode */ }
        ready = true; retryDelay = 1000;
        setStatus("connected");
        queue.splice(0).forEach(function (d) { d.session_id = sessionId; emit("user_uttered", d); });
      } else if (packet[0] === "bot_uttered") {
        onBotMessage(packet[1] || {});
      }
    };
    socket.onclose = function () {
      ready = false;
      setStatus("disconnected");
      window.setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    };
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { input.focus(); return; }
    input.value = "";
    send(text);
  });

  select.addEventListener("change", function () {
    language = select.value;
    applyPageLanguage();
    send('/switch_language{"language":"' + language + '"}', config.languages[language].name);
  });

  applyPageLanguage();
  setStatus("connecting");
  connect();
}());
