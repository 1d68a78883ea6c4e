// Keyboard triage on the moderation desk: j/k move between pending comments, a/s/r approve,
// mark as spam or remove the current one, u undoes the last decision. Each key presses the
// matching button, so the page works the same without this script.
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-triage-item]"));
  var undo = document.querySelector("[data-triage-undo]");
  var current = 0;
  function focus(index) {
    if (!items.length) { return; }
    current = Math.max(0, Math.min(items.length - 1, index));
    items.forEach(function (item, i) { item.classList.toggle("desk-triage-current", i === current); });
    items[current].focus();
    items[current].scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) { return; }
    var key = event.key;
    if (key === "j") { focus(current + 1); } else if (key === "k") { focus(current - 1); } else if (key === "u" && undo) {
      undo.requestSubmit();
    } else if ("asr".indexOf(key) >= 0 && items[current]) {
      var button = items[current].querySelector("button[data-key='" + key + "']");
      if (button) { button.click(); }
    } else {
      return;
    }
    event.preventDefault();
  });
  if (items.length) { focus(0); }
})();
