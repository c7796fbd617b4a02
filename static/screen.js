// Progressive enhancement for the projector screen: fetch the page again every few seconds
// and swap in its counts, instead of the no-JavaScript reload (which would move a screen
// reader's place and flash the projector). The page works fully without this file.
(function () {
  "use strict";
  var counts = document.getElementById("screen-counts");
  if (!counts || !window.fetch || !window.DOMParser) { return; }
  var every = Number(counts.getAttribute("data-every")) * 1000;
  if (!every) { return; }
  function update() {
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("screen-counts");
        // Only when something changed, so a screen reader hears only news.
        if (fresh && fresh.innerHTML !== counts.innerHTML) { counts.innerHTML = fresh.innerHTML; }
      })
      .catch(function () { /* the network blinked: the next round tries again */ })
      .then(function () { window.setTimeout(update, every); });
  }
  window.setTimeout(update, every);
}());
