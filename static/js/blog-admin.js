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
