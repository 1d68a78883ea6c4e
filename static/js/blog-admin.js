// Post admin: a "Fill from DOI/PMID" button on each reference row. Without JavaScript the
// row's checkbox does the same on save.
(function () {
  "use strict";

  var FIELDS = ["authors", "title", "journal", "year", "volume", "pages", "doi", "pmid", "url"];

  function field(row, name) {
    return row.querySelector('[name$="-' + name + '"]');
  }

  function enhance(checkbox) {
    if (checkbox.dataset.enhanced || checkbox.name.indexOf("__prefix__") !== -1) { return; }
    checkbox.dataset.enhanced = "1";
    var row = checkbox.closest(".inline-related");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button blog-fill-reference";
    button.textContent = "Fill from DOI/PMID now";
    var status = document.createElement("span");
    status.setAttribute("role", "status");
    status.className = "blog-fill-status";
    checkbox.parentElement.appendChild(button);
    checkbox.parentElement.appendChild(status);

    button.addEventListener("click", function () {
      var doi = field(row, "doi").value.trim();
      var pmid = field(row, "pmid").value.trim();
      if (!doi && !pmid) {
        status.textContent = "Enter a DOI or a PMID first.";
        return;
      }
      var url = checkbox.dataset.lookupUrl + "?" + new URLSearchParams({ doi: doi, pmid: pmid });
      button.disabled = true;
      status.textContent = "Looking it up…";
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (data.error) {
            status.textContent = data.error;
            return;
          }
          var filled = 0;
          FIELDS.forEach(function (name) {
            var input = field(row, name);
            var value = data.reference[name];
            if (input && value && !input.value.trim()) {
              input.value = value;
              filled += 1;
            }
          });
          status.textContent = filled ? "Filled " + filled + " field(s). Check them, then save." : "Nothing to fill: the fields already have values.";
        })
        .catch(function () {
          status.textContent = "The lookup failed. Tick the box and save, or fill the row by hand.";
        })
        .then(function () { button.disabled = false; });
    });
  }

  function enhanceAll() {
    document.querySelectorAll("input[data-lookup-url]").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", enhanceAll);
  document.addEventListener("formset:added", enhanceAll);
})();

// Post admin: references are ordered by moving their rows (drag, or the "Move up" and "Move
// down" buttons), never by typing numbers. Each row's hidden order field follows its place;
// without JavaScript the rows keep their order and new ones go last.
(function () {
  "use strict";

  function rows(group) {
    return Array.prototype.filter.call(
      group.querySelectorAll(".inline-related"),
      function (row) { return !row.classList.contains("empty-form") && row.querySelector("[data-reference-order]"); }
    );
  }

  function renumber(group) {
    rows(group).forEach(function (row, index) {
      row.querySelector("[data-reference-order]").value = String(index + 1);
      row.querySelectorAll("[data-move]").forEach(function (button) {
        var label = button.dataset.move === "up" ? "Move reference " + (index + 1) + " up" : "Move reference " + (index + 1) + " down";
        button.setAttribute("aria-label", label);
      });
    });
  }

  function announce(group, text) {
    var status = group.querySelector(".blog-order-status");
    if (status) { status.textContent = text; }
  }

  function move(group, row, step) {
    var all = rows(group);
    var index = all.indexOf(row);
    var target = all[index + step];
    if (!target) { return; }
    if (step < 0) { target.parentNode.insertBefore(row, target); } else { target.parentNode.insertBefore(target, row); }
    renumber(group);
    announce(group, "Reference moved to position " + (all.indexOf(target) + 1) + ".");
    row.querySelector('[data-move="' + (step < 0 ? "up" : "down") + '"]').focus();
  }

  function enhanceRow(group, row) {
    if (row.dataset.orderEnhanced || row.classList.contains("empty-form")) { return; }
    if (!row.querySelector("[data-reference-order]")) { return; }
    row.dataset.orderEnhanced = "1";
    // The buttons below replace the "Move on save" choice made for pages without JavaScript.
    var choiceRow = row.querySelector(".field-move");
    if (choiceRow) { choiceRow.hidden = true; }
    var tools = document.createElement("div");
    tools.className = "blog-order-tools";
    ["up", "down"].forEach(function (direction) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button blog-move";
      button.dataset.move = direction;
      button.textContent = direction === "up" ? "↑ Move up" : "↓ Move down";
      button.addEventListener("click", function () { move(group, row, direction === "up" ? -1 : 1); });
      tools.appendChild(button);
    });
    var heading = row.querySelector("h3") || row.firstElementChild;
    heading.parentNode.insertBefore(tools, heading.nextSibling);
    // The row's heading is the handle: a draggable row would stop text selection in its fields.
    heading.draggable = true;
    heading.classList.add("blog-drag-handle");
    heading.title = "Drag to reorder";
    heading.addEventListener("dragstart", function (event) {
      group.dataset.dragging = row.id;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.id);
    });
    row.addEventListener("dragover", function (event) {
      if (group.dataset.dragging) { event.preventDefault(); }
    });
    row.addEventListener("drop", function (event) {
      var dragged = document.getElementById(group.dataset.dragging || "");
      delete group.dataset.dragging;
      if (!dragged || dragged === row) { return; }
      event.preventDefault();
      var all = rows(group);
      var before = all.indexOf(dragged) > all.indexOf(row) ? row : row.nextSibling;
      row.parentNode.insertBefore(dragged, before);
      renumber(group);
      announce(group, "Reference moved to position " + (rows(group).indexOf(dragged) + 1) + ".");
    });
    row.addEventListener("dragend", function () { delete group.dataset.dragging; });
  }

  function enhanceAll() {
    document.querySelectorAll(".blog-references").forEach(function (fieldset) {
      var group = fieldset.closest(".inline-group") || fieldset;
      if (!group.querySelector(".blog-order-status")) {
        var status = document.createElement("p");
        status.className = "blog-order-status help";
        status.setAttribute("role", "status");
        fieldset.insertBefore(status, fieldset.firstChild.nextSibling);
      }
      rows(group).forEach(function (row) { enhanceRow(group, row); });
      renumber(group);
    });
  }

  document.addEventListener("DOMContentLoaded", enhanceAll);
  document.addEventListener("formset:added", enhanceAll);
  document.addEventListener("formset:removed", enhanceAll);
})();
