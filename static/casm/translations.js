// A staff form's "Translations" fieldset: hide the group of the language chosen as the original
// (its texts are the fields above), and show it again when another original is chosen. Without
// scripts every group shows, and the form refuses a text given in the original's own group.
(function () {
  "use strict";
  document.querySelectorAll("fieldset[data-original-select]").forEach(function (fieldset) {
    var select = document.getElementById(fieldset.getAttribute("data-original-select"));
    if (!select) { return; }
    function sync() {
      fieldset.querySelectorAll("fieldset[data-language]").forEach(function (group) {
        var isOriginal = group.getAttribute("data-language") === select.value;
        var hasError = group.querySelector(".errorlist") !== null;
        group.hidden = isOriginal && !hasError;
      });
    }
    select.addEventListener("change", sync);
    sync();
  });
})();
