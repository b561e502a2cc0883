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

// How much room is left. Every markdown field has one length limit (MARKDOWN_MAX_CHARS), which
// the form gives the textarea as `maxlength` and states in the help text, so without this script
// the browser stops at the limit and the member has read it. With the script, `maxlength` is taken
// off (a browser silently cuts a long paste at the limit, losing the end of what was pasted) and a
// count under the box says how many characters are left, or how many too many. The visible count
// changes as you type; screen readers hear it through a separate polite live region, updated when
// typing pauses, so they are not interrupted at every key (the GOV.UK character-count pattern).
// Line breaks count as one character here and on the server (forms.MarkdownField).
(function () {
  "use strict";
  var PAUSE_MS = 1000;

  function format(n) {
    return n.toLocaleString(document.documentElement.lang || "en-GB");
  }

  function describe(left) {
    if (left >= 0) {
      return interpolate(ngettext("%s character left", "%s characters left", left), [format(left)]);
    }
    return interpolate(ngettext("%s character too many", "%s characters too many", -left), [format(-left)]);
  }

  function attach(box) {
    var limit = parseInt(box.getAttribute("maxlength"), 10);
    if (!limit || box.dataset.charCount) {
      return;
    }
    box.dataset.charCount = "on";
    box.dataset.maxChars = String(limit);
    box.removeAttribute("maxlength");

    var shown = document.createElement("p");
    shown.className = "help char-count";
    shown.id = (box.id || "field") + "_charcount";
    shown.setAttribute("aria-hidden", "true");
    var spoken = document.createElement("p");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    box.insertAdjacentElement("afterend", shown);
    shown.insertAdjacentElement("afterend", spoken);

    var timer = null;
    function update() {
      var left = limit - box.value.length;
      var text = describe(left);
      shown.textContent = text;
      shown.classList.toggle("char-count--over", left < 0);
      if (left < 0) {
        box.setAttribute("aria-invalid", "true");
        box.dataset.overLimit = "on";
      } else if (box.dataset.overLimit) {  // only undo what this script set
        box.removeAttribute("aria-invalid");
        delete box.dataset.overLimit;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { spoken.textContent = text; }, PAUSE_MS);
    }
    box.addEventListener("input", update);
    shown.textContent = describe(limit - box.value.length);
  }

  function attachAll() {
    var boxes = document.querySelectorAll("textarea[maxlength]");
    for (var i = 0; i < boxes.length; i++) {
      attach(boxes[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", attachAll);
  } else {
    attachAll();
  }
})();

// Files dropped or pasted into the editor (issue 15). markdownx's own upload shows "Invalid
// response" in the text whatever went wrong; this takes the upload over for editors that have an
// upload address, so the member reads the server's reason (too large, a type not allowed, the
// set's file space full, too many uploads) under the box, and the text stays as they wrote it.
// Listening on the document in the capture phase runs before markdownx's listeners on the editor.
(function () {
  "use strict";
  var URL_ATTRIBUTE = "data-markdownx-upload-urls-path";

  function editorOf(event) {
    var target = event.target;
    if (!target || !target.classList || !target.classList.contains("markdownx-editor")) {
      return null;
    }
    return target.getAttribute(URL_ATTRIBUTE) ? target : null;
  }

  function csrfToken(editor) {
    var scope = editor.form || document;
    var field = scope.querySelector("input[name='csrfmiddlewaretoken']") ||
      document.querySelector("input[name='csrfmiddlewaretoken']");
    return field ? field.value : "";
  }

  function messageBox(editor) {
    // One per editor, kept on the element: a thread page may hold several boxes with the same id.
    var box = editor.uploadErrorBox;
    if (!box) {
      box = document.createElement("p");
      box.className = "error upload-error";
      box.setAttribute("role", "alert");
      box.hidden = true;
      editor.insertAdjacentElement("afterend", box);
      editor.uploadErrorBox = box;
    }
    return box;
  }

  function showError(editor, text) {
    var box = messageBox(editor);
    box.textContent = text;
    box.hidden = false;
  }

  function insert(editor, text) {
    var start = editor.selectionStart, end = editor.selectionEnd;
    editor.value = editor.value.substring(0, start) + text + editor.value.substring(end);
    editor.selectionStart = editor.selectionEnd = start + text.length;
    editor.dispatchEvent(new Event("input", {bubbles: true}));  // the preview and the character count
  }

  function fallback(status) {
    if (status === 413) {
      return gettext("The file is too large to upload.");
    }
    return gettext("The file could not be uploaded. Check your connection and try again.");
  }

  function upload(editor, file) {
    var data = new FormData();
    data.append("image", file);
    data.append("csrfmiddlewaretoken", csrfToken(editor));
    editor.setAttribute("aria-busy", "true");
    editor.style.opacity = "0.3";
    var done = function () {
      editor.removeAttribute("aria-busy");
      editor.style.opacity = "";
    };
    return fetch(editor.getAttribute(URL_ATTRIBUTE), {
      method: "POST", body: data, credentials: "same-origin", headers: {"X-Requested-With": "XMLHttpRequest"}
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        done();
        if (response.ok && answer.image_code) {
          messageBox(editor).hidden = true;
          insert(editor, answer.image_code);
        } else {
          showError(editor, answer.error || fallback(response.status));
        }
      });
    }, function () {
      done();
      showError(editor, fallback(0));
    });
  }

  function take(event, files) {
    var editor = editorOf(event);
    if (!editor || !files || !files.length) {
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    for (var i = 0; i < files.length; i++) {
      upload(editor, files[i]);
    }
  }

  document.addEventListener("drop", function (event) {
    take(event, event.dataTransfer && event.dataTransfer.files);
  }, true);
  document.addEventListener("paste", function (event) {
    take(event, event.clipboardData && event.clipboardData.files);
  }, true);
})();
