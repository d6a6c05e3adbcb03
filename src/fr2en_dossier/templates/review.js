(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.seg"));
  var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-flag]"));
  var only = document.getElementById("only-flagged");
  var search = document.getElementById("search");
  var shown = document.getElementById("shown");
  var jump = document.getElementById("jump");
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.doc"));
  var timer = null;

  function flagsOf(row) {
    return row.getAttribute("data-flags").split(" ").filter(function (f) { return f; });
  }

  function apply() {
    var wanted = boxes.filter(function (b) { return b.checked; })
                      .map(function (b) { return b.getAttribute("data-flag"); });
    var text = search.value.trim().toLowerCase();
    var visible = 0;
    rows.forEach(function (row, i) {
      var flags = flagsOf(row);
      var show = (!only.checked || flags.some(function (f) { return f !== "boilerplate"; }))
        && (!wanted.length || wanted.some(function (f) { return flags.indexOf(f) >= 0; }))
        && (!text || texts[i].indexOf(text) >= 0);
      if (row.hidden === show) { row.hidden = !show; }
      if (show) { visible += 1; }
    });
    sections.forEach(function (section) {
      var count = section.querySelector(".count");
      var total = Number(count.getAttribute("data-total"));
      var n = section.querySelectorAll("tr.seg:not([hidden])").length;
      count.textContent = n === total ? total + " segments" : n + " of " + total + " segments";
      section.querySelector("table").hidden = n === 0;
      section.querySelector(".empty").hidden = n !== 0;
    });
    shown.textContent = "Showing " + visible + " of " + rows.length + " segments";
  }

  // A link such as review.html#filter=number-mismatch,untranslated opens with those flags on.
  var match = /^#filter=(.*)$/.exec(window.location.hash);
  if (match) {
    decodeURIComponent(match[1]).split(",").forEach(function (name) {
      if (name === "flagged") { only.checked = true; }
      boxes.forEach(function (b) {
        if (b.getAttribute("data-flag") === name) { b.checked = true; }
      });
    });
  }
  boxes.concat([only]).forEach(function (b) { b.addEventListener("change", apply); });
  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 120);
  });
  // Riskiest first: the rows of each document ordered by their risk; back to document order.
  var order = document.getElementById("order");
  order.addEventListener("change", function () {
    sections.forEach(function (section) {
      var body = section.querySelector("tbody");
      var list = Array.prototype.slice.call(body.children);
      list.sort(function (a, b) {
        if (order.value === "risk") { return Number(b.getAttribute("data-risk")) - Number(a.getAttribute("data-risk")); }
        return rows.indexOf(a) - rows.indexOf(b);
      });
      list.forEach(function (row) { body.appendChild(row); });
    });
  });
  if (jump) {
    jump.addEventListener("change", function () {
      var target = document.getElementById(jump.value);
      if (target) { target.scrollIntoView(); }
      jump.value = "";
    });
  }
  apply();
})();
