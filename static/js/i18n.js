// Fallbacks for Django's JavaScript catalogue (/jsi18n/, loaded just before this file by
// base.html): when it is missing or failed to load, the scripts still work, in English.
// docs/translating.md.
(function () {
  "use strict";
  window.gettext = window.gettext || function (text) { return text; };
  window.ngettext = window.ngettext || function (singular, plural, count) { return count === 1 ? singular : plural; };
  window.interpolate = window.interpolate || function (format, values) {
    var i = 0;
    return format.replace(/%s/g, function () { return String(values[i++]); });
  };
}());
