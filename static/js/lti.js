// LTI pages (templates/lti/): both work without JavaScript (a link, a button); this only saves a click.
(function () {
  "use strict";
  // After a launch: outside a frame, follow the one-time link in this window.
  var enter = document.getElementById("lti-enter");
  if (enter && window.top === window.self) {
    window.location.replace(enter.href);
  }
  // After a deep-link choice: post the signed response back to the platform.
  var back = document.getElementById("lti-return");
  if (back) {
    back.submit();
  }
  // After dynamic registration: tell the platform's registration window it may close (the spec's message).
  if (document.getElementById("lti-registered")) {
    (window.opener || window.parent).postMessage({ subject: "org.imsglobal.lti.close" }, "*");
  }
})();
