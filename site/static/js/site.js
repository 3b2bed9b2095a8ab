/* Site-wide behaviour: the 标准/大字 switch (remembered in localStorage). */
(function () {
  var root = document.documentElement;
  function apply(size) {
    root.setAttribute("data-text-size", size);
    document.querySelectorAll("[data-text-size-set]").forEach(function (btn) {
      btn.setAttribute("aria-pressed", String(btn.getAttribute("data-text-size-set") === size));
    });
  }
  apply(root.getAttribute("data-text-size") || "normal");
  document.addEventListener("click", function (event) {
    var btn = event.target.closest("[data-text-size-set]");
    if (!btn) return;
    var size = btn.getAttribute("data-text-size-set");
    try { localStorage.setItem("mingbai:text-size", size); } catch (e) { /* ignore */ }
    apply(size);
  });
})();
