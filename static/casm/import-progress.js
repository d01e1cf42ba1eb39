// An import's progress, brought up to date every two seconds without reloading the page (a reload,
// or a <meta http-equiv="refresh">, would take away the reader's place and focus every time).
// Once the import has finished, the page's content is replaced by the finished page's.
(function () {
  "use strict";
  var PERIOD = 2000;

  function update() {
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var freshBar = fresh.getElementById("import-progress");
        var bar = document.getElementById("import-progress");
        if (freshBar && bar) {
          var section = bar.closest("section");
          var freshSection = freshBar.closest("section");
          if (section && freshSection) { section.innerHTML = freshSection.innerHTML; }
          window.setTimeout(update, PERIOD);
          return;
        }
        var main = document.querySelector("main");
        var freshMain = fresh.querySelector("main");
        if (main && freshMain) {
          main.innerHTML = freshMain.innerHTML;
          document.title = fresh.title;
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(update, PERIOD * 2); });
  }

  window.setTimeout(update, PERIOD);
})();
