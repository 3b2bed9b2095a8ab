/* People app: roster import progress bar (polls the job's status; no inline scripts). */
(function () {
  "use strict";
  var box = document.querySelector("[data-roster-progress]");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector("[data-roster-bar]");
  var count = box.querySelector("[data-roster-count]");
  var label = box.querySelector("[data-roster-label]");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        bar.value = s.percent;
        bar.textContent = s.percent + "%";
        count.textContent = s.processed;
        label.textContent = s.state_label;
        if (s.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
