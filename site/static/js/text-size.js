/* Applies the remembered 标准/大字 text size before the page paints. */
(function () {
  try {
    var size = localStorage.getItem("mingbai:text-size");
    if (size === "large" || size === "normal") document.documentElement.setAttribute("data-text-size", size);
  } catch (e) { /* storage blocked: keep the default */ }
})();
