// @mention autocomplete (issue 14), as progressive enhancement: without this script a member
// types "@priya" and the server renders the mention when the post is saved. With it, typing "@"
// and a few letters in a post's text box lists the set's matching members (from the form's
// `data-mentions-url`, which answers only the set's current members) and picks one with the arrow
// keys and Enter, or a click (Tab leaves the box as always). The WAI-ARIA combobox pattern, for a multi-line field: the
// text box keeps its own role and gets aria-autocomplete="list", aria-controls naming the listbox
// and aria-activedescendant naming the highlighted option; a polite live region says how many
// members match. Escape closes the list; typing goes on undisturbed.
(function () {
  "use strict";
  var PAUSE_MS = 150;
  var MENTION_BEFORE_CARET = /(^|[^A-Za-z0-9_.@\/+\-])@([A-Za-z0-9._\-]{0,40})$/;
  var counter = 0;

  function setUp(form) {
    var url = form.getAttribute("data-mentions-url");
    var box = form.querySelector("textarea");
    if (!url || !box) { return; }
    counter += 1;
    var listId = "mention-suggestions-" + counter;
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "mention-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", gettext("Members to mention"));
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    box.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-controls", listId);

    var options = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function typed() {
      var before = box.value.slice(0, box.selectionStart);
      if (box.selectionStart !== box.selectionEnd) { return null; }
      var match = MENTION_BEFORE_CARET.exec(before);
      return match ? { query: match[2], start: before.length - match[2].length - 1 } : null;
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      options = [];
      active = -1;
      box.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      options.forEach(function (option, i) { option.el.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) { box.setAttribute("aria-activedescendant", options[index].el.id); }
      else { box.removeAttribute("aria-activedescendant"); }
    }

    function choose(index) {
      var at = typed();
      if (!at || index < 0 || index >= options.length) { return; }
      var handle = options[index].handle;
      var insert = "@" + handle + " ";
      var caret = box.selectionStart;
      box.value = box.value.slice(0, at.start) + insert + box.value.slice(caret);
      var position = at.start + insert.length;
      box.setSelectionRange(position, position);
      close();
      status.textContent = interpolate(gettext("Mentioned @%s."), [handle]);
      box.dispatchEvent(new Event("input", { bubbles: true }));
      box.focus();
    }

    function show(members) {
      close();
      members.forEach(function (member, i) {
        var el = document.createElement("li");
        el.id = listId + "-" + i;
        el.setAttribute("role", "option");
        el.setAttribute("aria-selected", "false");
        var handle = document.createElement("strong");
        handle.textContent = "@" + member.handle;
        var name = document.createElement("span");
        name.textContent = member.name;
        el.appendChild(handle);
        el.appendChild(name);
        el.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(el);
        options.push({ el: el, handle: member.handle });
      });
      list.hidden = options.length === 0;
      status.textContent = options.length ? interpolate(ngettext(
        "%s member matches: up and down arrows to choose, Enter to mention.",
        "%s members match: up and down arrows to choose, Enter to mention.", options.length), [options.length]) : "";
      if (options.length) { highlight(0); }
    }

    function lookUp() {
      var at = typed();
      if (!at) { close(); return; }
      var ticket = ++asked;
      fetch(url + "?q=" + encodeURIComponent(at.query), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { members: [] }; })
        .then(function (data) { if (ticket === asked) { show(data.members || []); } })
        .catch(close);
    }

    box.addEventListener("input", function () {
      clearTimeout(timer);
      if (!typed()) { close(); return; }
      timer = setTimeout(lookUp, PAUSE_MS);
    });
    box.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + options.length) % options.length);
      } else if (event.key === "Enter" && active >= 0) {  // Tab still moves on: no keyboard trap
        event.preventDefault();
        event.stopImmediatePropagation();
        choose(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    }, true);
    box.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.querySelectorAll("form[data-mentions-url]").forEach(setUp);
})();
