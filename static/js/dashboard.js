// Draws the dashboard's charts from the JSON the page carries (Chart.js, vendored).
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("chart-data");
  if (!source || !window.Chart) return;
  var data = JSON.parse(source.textContent);
  var colours = ["#1559c1", "#b45309", "#b91c1c", "#64748b", "#15803d"];
  // A fresh object per chart: Chart.js keeps (and changes) the options it is given.
  function options(extra) {
    return Object.assign({ animation: false, responsive: true, maintainAspectRatio: false }, extra);
  }
  var categories = Object.keys(data.categories);
  new Chart(document.getElementById("chart-days"), {
    type: "bar",
    data: {
      labels: data.days,
      datasets: categories.map(function (name, i) {
        return { label: name, data: data.categories[name], backgroundColor: colours[i % colours.length] };
      }),
    },
    options: options({ scales: { x: { stacked: true }, y: { stacked: true } } }),
  });
  new Chart(document.getElementById("chart-hours"), {
    type: "bar",
    data: {
      labels: data.hours.map(function (_, hour) { return hour + "h"; }),
      datasets: [{ label: data.labels.calls, data: data.hours, backgroundColor: colours[0] }],
    },
    options: options({}),
  });
  var channels = Object.keys(data.channels);
  new Chart(document.getElementById("chart-channels"), {
    type: "bar",
    data: {
      labels: channels,
      datasets: [{
        label: data.labels.tickets,
        data: channels.map(function (name) { return data.channels[name]; }),
        backgroundColor: channels.map(function (_, i) { return colours[i % colours.length]; }),
      }],
    },
    options: options({ indexAxis: "y", plugins: { legend: { display: false } } }),
  });
  new Chart(document.getElementById("chart-backlog"), {
    type: "line",
    data: {
      labels: data.days,
      datasets: [{ label: data.labels.backlog, data: data.backlog, borderColor: colours[1], tension: 0.2 }],
    },
    options: options({}),
  });
  var staffing = JSON.parse(document.getElementById("staffing-data").textContent);
  new Chart(document.getElementById("chart-staffing"), {
    type: "bar",
    data: {
      labels: staffing.labels,
      datasets: [
        { type: "bar", label: staffing.names.calls, data: staffing.calls, backgroundColor: colours[0], yAxisID: "calls" },
        { type: "line", label: staffing.names.needed, data: staffing.needed, borderColor: colours[3], yAxisID: "seats" },
        { type: "line", label: staffing.names.ready, data: staffing.ready, borderColor: colours[1], yAxisID: "seats" },
      ],
    },
    options: options({
      scales: {
        calls: { type: "linear", position: "left", beginAtZero: true },
        seats: { type: "linear", position: "right", beginAtZero: true, grid: { drawOnChartArea: false } },
      },
    }),
  });
  document.body.dataset.chartsDrawn = "true";
});
