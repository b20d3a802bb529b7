/* What the ministry console, the analyst dashboard and the agents' inbox share: their texts, announcements, calls to
   Baraza's API with the key (kept in this tab's sessionStorage only), signing in and out, and the
   language choice. Each page calls BarazaStaff(...) and gets these back. */
"use strict";
window.BarazaStaff = function (options) {
  var config = options.config;
  var T = config.texts;
  var $ = function (id) { return document.getElementById(id); };

  function t(name, values) {
    return (T[name] || name).replace(/\{(\w+)\}/g, function (_, k) { return values && k in values ? values[k] : ""; });
  }
  function say(text) { $("problem").textContent = ""; $("notice").textContent = text; }
  function problem(text) { $("notice").textContent = ""; $("problem").textContent = text; }
  function headers() {
    return { "Authorization": "Bearer " + sessionStorage.getItem(options.storageKey), "Accept": "application/json" };
  }
  function api(method, path, body) {
    var request = { method: method, headers: headers() };
    if (body !== undefined) { request.headers["Content-Type"] = "application/json"; request.body = JSON.stringify(body); }
    return fetch(path, request).then(function (reply) {
      return reply.json().catch(function () { return {}; }).then(function (data) {
        if (!reply.ok) { var error = new Error(data.error || String(reply.status)); error.status = reply.status; throw error; }
        return data;
      });
    });
  }

  /* The sign-in error sits under the key field (announced, and read with the field), not at the top. */
  function keyError(text) {
    $("key-error").textContent = text;
    $("api-key").setAttribute("aria-invalid", text ? "true" : "false");
  }
  function signIn(key) {
    sessionStorage.setItem(options.storageKey, key);
    return api("GET", options.mePath || "/api/v1/me").then(function (me) {
      keyError("");  // a refused key earlier: its error goes once a key is accepted
      $("problem").textContent = "";
      $("sign-in").hidden = true;
      $("workspace").hidden = false;
      $("who").textContent = t("signed_in_as", { ministry: config.ministries[me.ministry] || me.ministry, role: T["role_" + me.role] || me.role });
      options.onSignIn(me);
      $("main").focus();
    }, function (error) {
      sessionStorage.removeItem(options.storageKey);
      // A valid key of a role the page is not for (options.refusedText) is told so, not "invalid".
      keyError(error && error.status === 403 && options.refusedText ? options.refusedText : T.key_invalid);
      $("api-key").focus();
    });
  }
  $("sign-in-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var key = $("api-key").value.trim();
    $("api-key").value = "";
    if (key) { signIn(key); } else { keyError(T.field_required); $("api-key").focus(); }
  });
  $("sign-out").addEventListener("click", function () {
    sessionStorage.removeItem(options.storageKey);
    if (options.onSignOut) { options.onSignOut(); }
    $("workspace").hidden = true;
    $("sign-in").hidden = false;
    $("api-key").focus();
  });
  $("lang").addEventListener("change", function () { location.search = "?lang=" + encodeURIComponent(this.value); });

  return {
    $: $, t: t, say: say, problem: problem, headers: headers, api: api,
    /* Sign in again with the key this tab already holds (after a language change or a reload). */
    resume: function () { if (sessionStorage.getItem(options.storageKey)) { signIn(sessionStorage.getItem(options.storageKey)); } }
  };
};
