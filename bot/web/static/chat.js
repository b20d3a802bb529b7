/* Baraza citizen chat: a small socket.io (Engine.IO v4 over WebSocket) client for Rasa's socket.io
   channel, with no framework. Every text is inserted with textContent, so nothing a user or the bot
   writes is ever run as HTML or script. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("baraza-config").textContent);
  var conversation = document.getElementById("conversation");
  var log = document.getElementById("log");
  var earlier = document.getElementById("earlier");
  var earlierMessages = document.getElementById("earlier-messages");
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
  var replyStart = null;  // the first message of the reply being received: kept in view
  var restored = false;  // the earlier messages came back: the status line says so once
  var restoredTail = {};  // the assistant's last restored texts: not shown twice if held ones come
  var spoke = false;
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

  /* Bidirectional text. A line takes the direction of the message's language; a line written wholly in
     the other direction (an English alert in an Arabic reply) takes its own, so its punctuation stays at
     its end. Inside a line, each run of words in the other direction (a ticket code such as S8WEDS, an
     English headline) is isolated in a <bdi>, so it cannot reorder the words and numbers around it. */
  var RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
  var LETTER = /\p{L}/u;
  var ALNUM = /[\p{L}\p{N}]/u;
  var URL = /(https?:\/\/[^\s<>"]+)/;
  var NUMBERED = /\d+(?:[-\/.]\d+)+/;  // a date or reference of numbers joined by - / or .

  /* "rtl" or "ltr" by a word's letters, "" for a word without letters (numbers, punctuation). */
  function scriptOf(word) {
    if (RTL.test(word)) { return "rtl"; }
    return LETTER.test(word) ? "ltr" : "";
  }

  /* A code mixes letters and digits (tickets, K7P2QX): it says nothing of the writer's language. */
  function isCode(word) { return /\p{N}/u.test(word) && LETTER.test(word) && !RTL.test(word); }

  function otherDirection(dir) { return dir === "rtl" ? "ltr" : "rtl"; }

  /* The direction of a line the assistant wrote in a language of direction `base`. */
  function botLineDirection(words, base) {
    var scripts = words.map(scriptOf);
    if (scripts.indexOf(base) >= 0 || scripts.indexOf(otherDirection(base)) < 0) { return base; }
    return otherDirection(base);
  }

  /* The direction of what a citizen typed: most of its words (codes aside), else the page's. */
  function userLineDirection(words, base) {
    var rtl = 0, ltr = 0;
    words.forEach(function (word) {
      if (isCode(word)) { return; }
      var script = scriptOf(word);
      if (script === "rtl") { rtl += 1; } else if (script === "ltr") { ltr += 1; }
    });
    return rtl === ltr ? base : (rtl > ltr ? "rtl" : "ltr");
  }

  /* [start, end) of the foreign runs of `text` in a line of direction `dir`. */
  function foreignRuns(text, dir) {
    var words = [];
    var re = /\S+/g, m;
    while ((m = re.exec(text)) !== null) {
      words.push({ start: m.index, end: m.index + m[0].length, text: m[0], script: scriptOf(m[0]) });
    }
    var runs = [];
    var i = 0;
    while (i < words.length) {
      var date = dir === "rtl" && words[i].script === "" ? NUMBERED.exec(words[i].text) : null;
      if (date !== null) {  // 2026-12-03 after Arabic letters would show as 03-12-2026
        runs.push([words[i].start + date.index, words[i].start + date.index + date[0].length]);
        i += 1; continue;
      }
      if (words[i].script !== otherDirection(dir)) { i += 1; continue; }
      var first = i, last = i, j = i + 1;
      // A run goes on over foreign words and the numbers after them ("between 11:00 and 16:00"); it
      // stops at a word of the line's own direction.
      while (j < words.length && words[j].script !== dir) {
        if (ALNUM.test(words[j].text)) { last = j; }
        j += 1;
      }
      var start = words[first].start, end = words[last].end;
      while (start < end && !ALNUM.test(text.charAt(start))) { start += 1; }
      var keep = last > first ? /[\p{L}\p{N}.!?…]/u : ALNUM;  // a phrase keeps its full stop, a code does not
      while (end > start && !keep.test(text.charAt(end - 1))) { end -= 1; }
      var stop = end;  // a full stop is kept only right after the phrase's last letter or digit
      while (stop > start && /[.!?…]/.test(text.charAt(stop - 1))) { stop -= 1; }
      if (stop < end && !ALNUM.test(text.charAt(stop - 1))) {
        end = stop;
        while (end > start && !ALNUM.test(text.charAt(end - 1))) { end -= 1; }
      }
      var inside = text.slice(start, end);  // a bracket opened in the run closes in it
      if ((inside.match(/\(/g) || []).length > (inside.match(/\)/g) || []).length && text.charAt(end) === ")") {
        end += 1;
      }
      if (end > start) { runs.push([start, end]); }
      i = last + 1;
    }
    return runs;
  }

  function appendIsolated(el, text, dir) {
    var at = 0;
    foreignRuns(text, dir).forEach(function (run) {
      if (run[0] > at) { el.appendChild(document.createTextNode(text.slice(at, run[0]))); }
      var bdi = document.createElement("bdi");
      bdi.dir = otherDirection(dir);
      bdi.textContent = text.slice(run[0], run[1]);
      el.appendChild(bdi);
      at = run[1];
    });
    if (at < text.length) { el.appendChild(document.createTextNode(text.slice(at))); }
  }

  /* One line: web links made clickable (always left to right), the rest with foreign runs isolated. */
  function appendLine(el, line, dir) {
    line.split(URL).forEach(function (part, i) {
      if (i % 2 === 1) {
        var a = document.createElement("a");
        a.href = part; a.textContent = part; a.rel = "noopener noreferrer"; a.target = "_blank"; a.dir = "ltr";
        el.appendChild(a);
      } else if (part) {
        appendIsolated(el, part, dir);
      }
    });
  }

  function wordsOf(line) { return line.replace(URL, " ").split(/\s+/).filter(Boolean); }

  /* A message's text, line by line, built from text nodes only; returns the message's direction. */
  function appendText(el, text, who, base) {
    var lines = String(text).split("\n");
    var dir = base;
    if (who === "user") { dir = userLineDirection(wordsOf(text), base); }
    lines.forEach(function (line, n) {
      if (n > 0) { el.appendChild(document.createTextNode("\n")); }
      var lineDir = who === "user" ? dir : botLineDirection(wordsOf(line), dir);
      var target = el;
      if (lineDir !== dir) {
        target = document.createElement("span");
        target.dir = lineDir;
        el.appendChild(target);
      }
      appendLine(target, line, lineDir);
    });
    return dir;
  }

  /* The newest message in view above the input; a reply taller than the conversation from its start
     (a filed report's ticket number is at its beginning). */
  function keepInView() {
    var bottom = conversation.scrollHeight - conversation.clientHeight;
    var target = bottom;
    if (replyStart !== null) { target = Math.min(bottom, replyStart.offsetTop - 8); }
    conversation.scrollTop = Math.max(0, target);
  }

  function messageElement(who, text, lang, dir) {
    var item = document.createElement("div");
    item.className = "msg " + who;
    item.lang = lang;
    var speaker = document.createElement("span");
    speaker.className = "visually-hidden";
    speaker.textContent = pageText(who === "bot" ? "bot" : "you") + ": ";
    item.appendChild(speaker);
    item.dir = appendText(item, text, who, dir);
    return item;
  }

  function addMessage(who, text, lang, dir, where) {
    var item = messageElement(who, text, lang, dir);
    (where || log).appendChild(item);
    if (who === "bot" && replyStart === null) { replyStart = item; }
    keepInView();
    return item;
  }

  function addChoices(choices, lang, dir, where) {
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
    (where || log).appendChild(list);
    keepInView();
  }

  function emit(event, data) { socket.send("42" + JSON.stringify([event, data])); }

  /* Every message gets an answer; silence (the assistant restarting) is said, not left to guess. */
  function expectAnswer() {
    window.clearTimeout(waiting);
    waiting = window.setTimeout(function () { setStatus("no_answer"); }, config.noAnswerAfterMs);
  }

  function followLanguage(code) {
    if (code && config.languages[code] && code !== language) {
      language = code;
      select.value = language;
      applyPageLanguage();
      return true;
    }
    return false;
  }

  function onBotMessage(message) {
    if (waiting !== null) { window.clearTimeout(waiting); waiting = null; setStatus("connected"); }
    var meta = message.metadata || {};
    var lang = meta.language || language;
    var dir = meta.direction || directionOf(lang);
    if (!spoke && message.text && restoredTail[message.text]) {  // held while away, and already shown
      delete restoredTail[message.text];
      return;
    }
    if (followLanguage(meta.language)) { setStatus("connected"); }
    if (message.text) { addMessage("bot", message.text, lang, dir); }
    var choices = message.quick_replies || message.buttons || [];
    if (choices.length) { addChoices(choices, lang, dir); }
  }

  function send(text, shown) {
    if (!text) { return; }
    spoke = true;
    replyStart = null;
    addMessage("user", shown || text, "", directionOf(language));
    var data = { message: text, session_id: sessionId, metadata: { language: language } };
    if (ready) { emit("user_uttered", data); } else { queue.push(data); }
    expectAnswer();
  }

  /* The session's recent messages, after a reload: shown above the live conversation, outside its
     live region, so a screen reader does not read the whole history out again. */
  function showEarlier(messages) {
    var said = messages.filter(function (m) { return m.from === "bot" && m.language; });
    if (said.length) { followLanguage(said[said.length - 1].language); }  // the conversation's language
    messages.forEach(function (m) {
      if (m.from === "bot") {
        var lang = m.language || language;
        var dir = m.direction || directionOf(lang);
        earlierMessages.appendChild(messageElement("bot", m.text, lang, dir));
        restoredTail[m.text] = true;
        if (m.choices && m.choices.length) { addChoices(m.choices, lang, dir, earlierMessages); }
      } else if (m.from === "user") {
        restoredTail = {};
        earlierMessages.appendChild(messageElement("user", m.text, "", directionOf(language)));
      }
    });
    if (!messages.length) { return false; }
    earlier.hidden = false;
    replyStart = null;
    keepInView();
    return true;
  }

  function restore(then) {
    if (!sessionId || !window.fetch) { then(); return; }
    var done = false;
    function finish() { if (!done) { done = true; then(); } }
    window.setTimeout(finish, 5000);  // a slow history never keeps the conversation waiting
    window.fetch("/chat/history", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ session_id: sessionId }),
      cache: "no-store",
      credentials: "same-origin"
    }).then(function (reply) {
      return reply.ok ? reply.json() : { messages: [] };
    }).then(function (body) {
      if (!done) { restored = showEarlier(body.messages || []); }
      finish();
    }).catch(finish);
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
        setStatus(restored ? "restored" : "connected");
        restored = false;
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

  window.addEventListener("resize", keepInView);  // the phone's keyboard opened or closed

  applyPageLanguage();
  setStatus("connecting");
  restore(connect);
}());
