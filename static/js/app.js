// Keyboard shortcuts for the agent console.
document.addEventListener("keydown", function (event) {
  var form = document.getElementById("ticket-form");
  if (!form) return;
  // Alt+E escalates (also the button's accesskey).
  if (event.altKey && !event.ctrlKey && (event.key === "e" || event.key === "E")) {
    event.preventDefault();
    document.getElementById("escalate-button").click();
  }
  // Ctrl+Enter in the summary resolves at first contact, like Enter elsewhere.
  if (event.ctrlKey && event.key === "Enter" && event.target.tagName === "TEXTAREA") {
    event.preventDefault();
    form.querySelector("button[value=resolve]").click();
  }
});

// The call starts when the agent begins typing the caller's number.
document.addEventListener("input", function (event) {
  if (event.target.id !== "id_caller_phone") return;
  var started = document.getElementById("id_call_started_at");
  if (started && !started.value) started.value = new Date().toISOString();
});
