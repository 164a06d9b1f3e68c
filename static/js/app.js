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
