// Definitions on hover and focus (.term): Escape hides the one showing without moving focus or the
// pointer (WCAG 2.2, 1.4.13 "dismissible"); it shows again once the pointer or focus leaves and returns.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll(".term:hover, .term:focus-within").forEach(function (term) {
      term.classList.add("term--dismissed");
    });
  });
  function reset(event) {
    var term = event.target.closest && event.target.closest(".term");
    if (term) { term.classList.remove("term--dismissed"); }
  }
  document.querySelectorAll(".term").forEach(function (term) {
    term.addEventListener("mouseleave", reset);  // leaving the word and its tip, not moving within
  });
  document.addEventListener("focusout", reset);
})();
