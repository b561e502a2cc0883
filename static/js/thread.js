// Progressive enhancement for the thread page: "Reply" links fill in the parent field and move
// focus to the reply box instead of reloading the page. Without JavaScript the links still work.
(function () {
  "use strict";
  var form = document.querySelector("#reply form");
  if (!form) return;
  // A hidden input for members; a "Answering" select of unanswered questions for the presenter.
  var parentInput = form.querySelector("[name=parent]");
  var body = form.querySelector("textarea[name=body]");
  var note = document.createElement("p");
  note.className = "meta replying-to";
  note.setAttribute("aria-live", "polite");
  form.insertBefore(note, form.firstChild.nextSibling);

  function clear() {
    parentInput.value = "";
    note.textContent = "";
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-reply-to]");
    if (!link) return;
    event.preventDefault();
    var id = link.getAttribute("data-reply-to");
    if (parentInput.tagName === "SELECT" && !parentInput.querySelector('option[value="' + id + '"]')) {
      var option = document.createElement("option");
      option.value = id;
      option.textContent = interpolate(gettext("%s's post"), [link.getAttribute("data-reply-name")]);
      parentInput.appendChild(option);
    }
    parentInput.value = id;
    note.textContent = interpolate(gettext("Replying to %s. "), [link.getAttribute("data-reply-name")]);
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "link-button";
    cancel.textContent = gettext("Cancel");
    cancel.addEventListener("click", clear);
    note.appendChild(cancel);
    body.focus();
  });
})();
