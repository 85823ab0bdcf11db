// Conduit ESB console: draws the per-flow throughput charts (Chart.js) and redraws them after htmx swaps.
(function () {
  'use strict';

  function drawCharts(root) {
    if (typeof Chart === 'undefined') {
      return;
    }
    root.querySelectorAll('canvas.spark[data-series]').forEach(function (canvas) {
      var text = canvas.getAttribute('data-series');
      var values = text ? text.split(',').map(Number) : [];
      var existing = Chart.getChart(canvas);
      if (existing) {
        existing.destroy();
      }
      new Chart(canvas, {
        type: 'line',
        data: {
          labels: values.map(function (_, i) { return i; }),
          datasets: [{ data: values, borderColor: '#2563eb', backgroundColor: 'rgba(37,99,235,0.15)',
                       fill: true, borderWidth: 1.5, pointRadius: 0, tension: 0.3 }]
        },
        options: {
          animation: false, responsive: false, events: [],
          plugins: { legend: { display: false }, tooltip: { enabled: false } },
          scales: { x: { display: false }, y: { display: false, beginAtZero: true } }
        }
      });
    });
  }

  document.addEventListener('DOMContentLoaded', function () { drawCharts(document); });
  document.addEventListener('htmx:afterSettle', function (event) { drawCharts(event.target); });
})();
