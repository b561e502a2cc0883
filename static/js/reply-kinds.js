// Progressive enhancement for the reply box (the page works without it):
// - as a member types a question or reflect-back, ask the server's advice heuristic
//   (/sets/<set>/advice-check/, the same patterns as the confirm step) and show an inline hint
//   with the same explicit second step as without JavaScript: "Post anyway" (recorded for the
//   facilitators as the author's choice) or "Rewrite as a question". "Post" while the hint shows
//   does not publish: it moves to the choice (issue 13). Had the hint not arrived yet, the server
//   still stops the post and asks the same question;
// - choosing "Reflect-back" on an empty box starts it with the set's template sentence.
(function () {
  "use strict";
  var form = document.querySelector("form.reply-box");
  if (!form) return;
  var body = form.querySelector("textarea[name=body]");
  var hint = form.querySelector(".advice-hint");
  var url = form.getAttribute("data-advice-url");
  var nudged = (form.getAttribute("data-nudged-kinds") || "").split(" ");
  var template = form.getAttribute("data-reflect-back-template");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
  var timer = null;
  var latest = 0;

  function kind() {
    var checked = form.querySelector("input[name=kind]:checked") || form.querySelector("input[name=kind][type=hidden]");
    return checked ? checked.value : "";
  }

  function clearHint() {
    hint.hidden = true;
    hint.textContent = "";
  }

  function button(type, text, className) {
    var b = document.createElement("button");
    b.type = type;
    b.className = className;
    b.textContent = text;
    return b;
  }

  function showHint(signals) {
    hint.textContent = "";
    var lead = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = gettext("This may read as advice: ");
    lead.appendChild(strong);
    signals.forEach(function (signal, i) {
      var mark = document.createElement("mark");
      mark.textContent = signal.phrase;
      if (i) lead.appendChild(document.createTextNode(", "));
      lead.appendChild(mark);
    });
    lead.appendChild(document.createTextNode(gettext(". Could you ask it as an open question (What…? How…?)? If you mean it as it is, you can still post it.")));
    hint.appendChild(lead);
    var actions = document.createElement("div");
    actions.className = "form-actions";
    var anyway = button("submit", gettext("Post anyway"), "button button--secondary");
    anyway.name = "post_anyway";
    anyway.value = "1";
    var rewrite = button("button", gettext("Rewrite as a question"), "button");
    rewrite.addEventListener("click", function () {
      clearHint();
      body.focus();
    });
    actions.appendChild(rewrite);
    actions.appendChild(anyway);
    hint.appendChild(actions);
    hint.hidden = false;
  }

  // The set's language has no advice word list: a plain note, which never holds the post back.
  function showUnavailable(message) {
    hint.textContent = "";
    var note = document.createElement("p");
    note.className = "advice-hint__unavailable meta";
    note.textContent = message;
    hint.appendChild(note);
    hint.hidden = false;
  }

  // "Post" while the hint shows: the member chooses first, as on the page without JavaScript.
  // "Save draft" / "Discard draft" post nothing, so they pass (static/js/drafts.js).
  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (hint.hidden || hint.querySelector(".advice-hint__unavailable") || (submitter && (submitter.name === "post_anyway" || submitter.name === "draft"))) return;
    event.preventDefault();
    var first = hint.querySelector("button");
    if (first) first.focus();
  });

  function check() {
    if (nudged.indexOf(kind()) === -1 || !body.value.trim()) {
      clearHint();
      return;
    }
    var ticket = ++latest;
    var data = new FormData();
    data.append("text", body.value);
    fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRFToken": csrf.value } })
      .then(function (r) { return r.ok ? r.json() : { signals: [] }; })
      .then(function (result) {
        if (ticket !== latest) return; // an older answer arriving late
        if (result.available === false) showUnavailable(result.message); // no word list for the set's language
        else if (result.signals.length) showHint(result.signals); else clearHint();
      })
      .catch(function () { /* no hint; the server still checks on posting */ });
  }

  body.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  });
  form.addEventListener("change", function (event) {
    if (event.target.name !== "kind") return;
    if (event.target.value === "reflect_back" && !body.value.trim() && template) {
      body.value = template;
      var gap = template.indexOf("…");
      body.focus();
      if (gap >= 0) body.setSelectionRange(gap, gap + 1);
    }
    check();
  });
})();
