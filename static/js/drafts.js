// Drafts that survive (issue 14): the reply form and the airtime form save what you write to the
// server every few seconds while you type and when you leave a field, so it comes back on any
// device. With no connection the text is kept in this browser (localStorage) and sent when the
// connection is back. Without this script the forms' "Save draft" button does the same by hand.
(function () {
  "use strict";
  var EVERY_MS = 3000; // at most one save per this while typing
  var PREFIX = "actionsets-draft:";
  var FIELDS = ["title", "body", "kind", "parent"];

  function storage() {
    try { return window.localStorage; } catch (e) { return null; } // private modes may refuse
  }

  function fieldsOf(form) {
    var data = {};
    FIELDS.forEach(function (name) {
      var inputs = form.querySelectorAll("[name=" + name + "]");
      for (var i = 0; i < inputs.length; i++) {
        var input = inputs[i];
        if (input.type === "radio" && !input.checked) continue;
        data[name] = input.value;
      }
    });
    return data;
  }

  function csrfToken(form) {
    var input = form.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // Send one draft; resolves true when the server has it. Network failure → false (kept locally);
  // a refusal (400) → the server's reason.
  function send(url, fields, token, action) {
    var body = new FormData();
    Object.keys(fields).forEach(function (name) { body.append(name, fields[name]); });
    body.append("draft", action || "save");
    body.append("csrfmiddlewaretoken", token);
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"X-Requested-With": "fetch", "X-CSRFToken": token}
    }).then(function (response) {
      return response.json().then(function (json) {
        return response.ok ? {ok: true, json: json} : {ok: false, error: json.error || gettext("The draft was not saved.")};
      }, function () { return {ok: false, error: gettext("The draft was not saved.")}; });
    }, function () { return {ok: false, offline: true}; });
  }

  function timeNow() {
    var d = new Date();
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }

  // Everything kept while offline, on any page of this site: send it now (on load and when back online).
  function flushPending(token) {
    var store = storage();
    if (!store || !navigator.onLine) return;
    Object.keys(store).forEach(function (key) {
      if (key.indexOf(PREFIX) !== 0) return;
      var entry;
      try { entry = JSON.parse(store.getItem(key)); } catch (e) { entry = null; }
      if (!entry || !entry.url) { store.removeItem(key); return; }
      send(entry.url, entry.fields, token).then(function (result) {
        // Sent, or refused for good (a closed set, a post gone): either way not worth keeping.
        if (!result.offline) {
          var now = store.getItem(key);
          if (now === null || JSON.parse(now).at === entry.at) store.removeItem(key);
        }
      });
    });
  }

  function enhance(form) {
    var url = form.getAttribute("data-draft-url");
    var status = form.querySelector(".draft-status");
    var key = PREFIX + url + ":" + (form.getAttribute("data-draft-place") || "");
    var token = csrfToken(form);
    var store = storage();
    var timer = null;
    var lastSent = JSON.stringify(fieldsOf(form));

    function say(text) { if (status) status.textContent = text; }

    function keyFor(fields) { return key + ":" + (fields.parent || ""); }

    // Back on this device after an offline edit the server never got: put it back in the box.
    if (store) {
      var pending = store.getItem(keyFor(fieldsOf(form)));
      if (pending) {
        try {
          var kept = JSON.parse(pending).fields;
          var box = form.querySelector("[name=body]");
          var title = form.querySelector("[name=title]");
          if (box && kept.body && box.value !== kept.body) box.value = kept.body;
          if (title && kept.title && title.value !== kept.title) title.value = kept.title;
          lastSent = "";
          say(gettext("Draft kept on this device; it will be saved when you are back online."));
        } catch (e) { store.removeItem(keyFor(fieldsOf(form))); }
      }
    }

    function save() {
      timer = null;
      if (submitting) return;
      var fields = fieldsOf(form);
      var snapshot = JSON.stringify(fields);
      if (snapshot === lastSent) return;
      lastSent = snapshot;
      var entryKey = keyFor(fields);
      var entry = JSON.stringify({url: url, fields: fields, at: Date.now()});
      if (store) store.setItem(entryKey, entry); // until the server confirms
      if (!navigator.onLine) {
        say(gettext("Offline: your draft is kept on this device and will be saved when you are back online."));
        return;
      }
      say(gettext("Saving draft…"));
      send(url, fields, token).then(function (result) {
        if (result.offline) {
          say(gettext("Offline: your draft is kept on this device and will be saved when you are back online."));
          return;
        }
        if (store && store.getItem(entryKey) === entry) store.removeItem(entryKey);
        if (!result.ok) { say(result.error); return; }
        say(result.json.saved ? interpolate(gettext("Draft saved at %s — only you can see it."), [timeNow()]) : "");
      });
    }

    // Pressing a button of the form (Post, Save draft, Discard) settles the draft itself: an
    // autosave racing it could bring back a draft the post has just removed.
    var submitting = false;
    function isButton(el) { return el && el.closest && el.closest("button[type=submit]") && form.contains(el); }
    function cancel() { if (timer !== null) { window.clearTimeout(timer); timer = null; } }
    function soon() { if (timer === null && !submitting) timer = window.setTimeout(save, EVERY_MS); }
    function shortly() { cancel(); if (!submitting) timer = window.setTimeout(save, 400); }

    form.addEventListener("input", soon);
    form.addEventListener("change", soon);
    form.addEventListener("focusout", function (event) {
      if ((event.target.name === "body" || event.target.name === "title") && !isButton(event.relatedTarget)) shortly();
    });
    form.addEventListener("pointerdown", function (event) {
      if (!isButton(event.target)) return;
      submitting = true;
      cancel();
      window.setTimeout(function () { submitting = false; }, 2000);
    });
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) return; // held back (the advice hint): nothing was sent
      // Posting (or the buttons' own save / discard) settles the draft on the server.
      submitting = true;
      cancel();
      window.setTimeout(function () { submitting = false; }, 2000);
      var submitter = event.submitter;
      if (store && !(submitter && submitter.value === "save")) store.removeItem(keyFor(fieldsOf(form)));
    });
    window.addEventListener("online", function () { lastSent = ""; flushPending(token); });
    flushPending(token);
  }

  var forms = document.querySelectorAll("form[data-draft-url]");
  for (var i = 0; i < forms.length; i++) enhance(forms[i]);
})();
