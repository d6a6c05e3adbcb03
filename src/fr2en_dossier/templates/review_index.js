(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.doc-row"));
  var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
  var input = document.getElementById("filter-docs");
  var shown = document.getElementById("shown");
  input.addEventListener("input", function () {
    var text = input.value.trim().toLowerCase();
    var visible = 0;
    rows.forEach(function (row, i) {
      row.hidden = Boolean(text) && texts[i].indexOf(text) < 0;
      if (!row.hidden) { visible += 1; }
    });
    shown.textContent = visible + " of " + rows.length + " documents";
  });
})();
