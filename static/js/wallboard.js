// The wallboard: the server pushes "changed" over server-sent events and the board
// fetches its figures again (at most every 250 ms); it also polls every 15 s (every
// second while the stream is down or not served here, as under `make run`), so a
// dropped connection (which EventSource re-opens by itself) only makes it slower.
(function () {
  var root = document.getElementById("wallboard-root");
  if (!root) return;
  var board = document.getElementById("board");
  var link = document.getElementById("wallboard-link");
  var texts = document.getElementById("wallboard-texts").dataset;
  var pending = null;

  function refresh() {
    if (pending) return;
    pending = setTimeout(function () {
      pending = null;
      fetch(root.dataset.board, { credentials: "same-origin", headers: { "X-Poll": "1" } })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) { board.innerHTML = html; ticks(); })
        .catch(function () {});
    }, 250);
  }

  function ticks() {
    var now = Date.now();
    board.querySelectorAll("[data-since]").forEach(function (el) {
      var s = Math.max(0, Math.round((now - Date.parse(el.dataset.since)) / 1000));
      var m = Math.floor(s / 60);
      el.textContent = m >= 60 ? Math.floor(m / 60) + " h " + (m % 60) + " m"
        : m + ":" + String(s % 60).padStart(2, "0");
    });
  }

  // Pushed: a safety poll every 15 s. Not pushed (no event stream here): every second.
  var live = false;
  if (window.EventSource) {
    var source = new EventSource(root.dataset.events);
    source.addEventListener("open", function () {
      live = true; link.textContent = texts.live; link.className = "badge st-ready";
    });
    source.addEventListener("changed", refresh);
    source.addEventListener("error", function () {
      live = false;
      // Closed for good (no stream served here, as under `make run`): polling is the way.
      var closed = source.readyState === EventSource.CLOSED;
      link.textContent = closed ? texts.polled : texts.polling;
      link.className = closed ? "badge" : "badge st-wrap_up";
    });
  }
  var since = 0;
  setInterval(function () {
    since += 1;
    if (!live || since >= 15) { since = 0; refresh(); }
  }, 1000);
  setInterval(ticks, 1000);
  ticks();

  document.addEventListener("keydown", function (event) {
    if (event.altKey && !event.ctrlKey && event.key.toLowerCase() === "f") {
      event.preventDefault();
      document.getElementById("fullscreen").click();
    }
  });
  document.getElementById("fullscreen").addEventListener("click", function () {
    if (document.fullscreenElement) document.exitFullscreen();
    else root.requestFullscreen();
  });
})();
