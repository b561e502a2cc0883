// django-markdownx makes Tab indent inside its editor and Shift+Tab un-indent, so a keyboard
// user who tabs into a reply box can never tab out of it to the Post button: a keyboard trap
// (WCAG 2.2 SC 2.1.2), found by tests/browser/test_journeys.py. Listening on the document in the
// capture phase runs before markdownx's own listener; stopping the event there leaves the
// browser's default, moving focus, in place. Indent lists with spaces instead.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Tab" && target && target.classList && target.classList.contains("markdownx-editor")) {
      event.stopImmediatePropagation();
    }
  }, true);
})();
