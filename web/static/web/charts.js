/* Draws each <canvas data-chart="ID"> from the Chart.js config in <script id="ID" type="application/json">
   (Django's json_script), so pages hold data, not code. The numbers are in a table beside each chart. */
(function () {
  "use strict";
  function draw(root) {
    if (typeof Chart === "undefined") { return; }
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.chart);
      if (!source || canvas.dataset.drawn) { return; }
      canvas.dataset.drawn = "1";
      new Chart(canvas, JSON.parse(source.textContent));
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  // Charts inside content that htmx swaps in are drawn too.
  document.addEventListener("htmx:load", function (event) { draw(event.target); });
})();
