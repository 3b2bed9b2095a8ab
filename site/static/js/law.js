/* Law library: "copy citation" and the citation popover (article text on tap). No inline script. */
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "absolute";
      area.style.left = "-9999px";
      document.body.appendChild(area);
      area.select();
      try { document.execCommand("copy") ? resolve() : reject(new Error("copy")); }
      catch (e) { reject(e); }
      finally { document.body.removeChild(area); }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-citation]");
    if (!button) return;
    var text = button.getAttribute("data-copy-citation");
    var url = button.getAttribute("data-copy-url");
    if (url) text += " " + url;
    var status = button.parentElement.querySelector("[role=status]");
    copyText(text).then(function () {
      if (status) status.textContent = "已复制：" + button.getAttribute("data-copy-citation");
    }, function () {
      if (status) status.textContent = "无法自动复制，请长按选择：" + text;
    });
  });

  var popover = null;

  function closePopover() {
    if (popover) { popover.remove(); popover = null; }
  }

  function openPopover(link) {
    closePopover();
    var text = link.getAttribute("data-cite-text") || link.getAttribute("title") || "";
    if (!link.getAttribute("data-cite-text")) {
      link.setAttribute("data-cite-text", text);
      link.removeAttribute("title");  // the popover replaces the browser's tooltip
    }
    var label = link.getAttribute("data-cite-label") || link.textContent;
    var colon = text.indexOf("：");
    popover = document.createElement("div");
    popover.className = "cite-popover";
    popover.setAttribute("role", "dialog");
    popover.setAttribute("aria-label", label);
    var title = document.createElement("p");
    title.className = "cite-popover__title";
    title.textContent = label;
    var body = document.createElement("p");
    body.className = "cite-popover__text";
    body.textContent = colon >= 0 ? text.slice(colon + 1) : text;
    var actions = document.createElement("div");
    actions.className = "cite-popover__actions";
    var open = document.createElement("a");
    open.className = "cite-popover__open";
    open.href = link.href;
    open.textContent = "阅读全文 →";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "cite-popover__close";
    close.textContent = "关闭";
    close.addEventListener("click", closePopover);
    actions.appendChild(open);
    actions.appendChild(close);
    popover.appendChild(title);
    popover.appendChild(body);
    popover.appendChild(actions);
    document.body.appendChild(popover);
    var rect = link.getBoundingClientRect();
    var width = popover.offsetWidth;
    var left = Math.max(8, Math.min(rect.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8));
    popover.style.left = left + "px";
    popover.style.top = (rect.bottom + window.scrollY + 6) + "px";
    open.focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.cite-link");
    if (link) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      openPopover(link);
      return;
    }
    if (popover && !popover.contains(event.target)) closePopover();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closePopover();
  });
})();
