/* The coproduction-mode quadrant: a Chart.js plugin that draws the dividing lines at the
   thresholds, each quadrant's name in its corner and each project's name beside its point, and
   names the project in the tooltip. Configured from the page's JSON (options.plugins.quadrant),
   so the page holds data, not code; charts without that option are left alone. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }

  function corner(ctx, text, x, y, alignRight, alignBottom) {
    ctx.textAlign = alignRight ? "right" : "left";
    ctx.textBaseline = alignBottom ? "bottom" : "top";
    ctx.fillText(text, x, y);
  }

  Chart.register({
    id: "quadrant",
    beforeInit: function (chart, args, options) {
      if (!options || !options.names) { return; }
      chart.options.plugins.tooltip.callbacks.label = function (item) {
        return item.raw.label + " (" + item.dataset.label + ")";
      };
    },
    beforeDatasetsDraw: function (chart, args, options) {
      if (!options || !options.names) { return; }
      var area = chart.chartArea, ctx = chart.ctx, pad = 6;
      var midX = chart.scales.x.getPixelForValue(options.threshold);
      var midY = chart.scales.y.getPixelForValue(0.5);
      ctx.save();
      ctx.strokeStyle = "#4a4a4a";
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(midX, area.top); ctx.lineTo(midX, area.bottom);
      ctx.moveTo(area.left, midY); ctx.lineTo(area.right, midY);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = "#4a4a4a";
      ctx.font = (chart.width < 420 ? "600 10px" : "600 12px") + " system-ui, sans-serif";
      corner(ctx, options.names.high_low, area.left + pad, area.top + pad, false, false);
      corner(ctx, options.names.high_high, area.right - pad, area.top + pad, true, false);
      corner(ctx, options.names.low_low, area.left + pad, area.bottom - pad, false, true);
      corner(ctx, options.names.low_high, area.right - pad, area.bottom - pad, true, true);
      ctx.restore();
    },
    afterDatasetsDraw: function (chart, args, options) {
      // On a narrow screen the names would overlap: the tooltip and the table beside the chart name the points.
      if (!options || !options.names || chart.width < 420) { return; }
      var ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = "#1a1a1a";
      ctx.font = "12px system-ui, sans-serif";
      ctx.textBaseline = "middle";
      chart.data.datasets.forEach(function (dataset, index) {
        if (!chart.isDatasetVisible(index)) { return; }
        chart.getDatasetMeta(index).data.forEach(function (point, position) {
          var label = dataset.data[position].label;
          var right = point.x > chart.chartArea.right - 120;
          ctx.textAlign = right ? "right" : "left";
          ctx.fillText(label, point.x + (right ? -10 : 10), point.y);
        });
      });
      ctx.restore();
    }
  });
})();
