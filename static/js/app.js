// Keyboard shortcuts for the agent console (Alt+E, Ctrl+Enter).
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

// A call from the PBX pops up on the console: its number goes into an empty form (or
// into any form when the agent presses "Log this call"), which loads the history.
function takeCall(box, always) {
  var phone = document.getElementById("id_caller_phone");
  var call = document.getElementById("id_pbx_call");
  if (!phone || !call || !box.dataset.call) return;
  if (!always && (phone.value || call.value)) return;
  phone.value = box.dataset.phone;  // empty when the number was withheld
  call.value = box.dataset.call;
  var started = document.getElementById("id_call_started_at");
  if (started) started.value = "";
  phone.dispatchEvent(new Event("change", { bubbles: true }));
  if (always) phone.focus();
}
var offeredCall = null;
// The pop-up is replaced when the call's state changes: keep the focus on its button.
var refocusTakeCall = false;
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.target && event.detail.target.id === "incoming") {
    refocusTakeCall = document.activeElement && document.activeElement.id === "take-call";
  }
});
document.addEventListener("htmx:afterSettle", function () {
  var box = document.getElementById("incoming");
  if (refocusTakeCall) {
    refocusTakeCall = false;
    var button = document.getElementById("take-call");
    if (button) button.focus();
  }
  if (!box || !box.dataset.call || box.dataset.call === offeredCall) return;
  offeredCall = box.dataset.call;
  takeCall(box, false);
});
// Alt+L takes the popped-up call (also the button's accesskey).
document.addEventListener("keydown", function (event) {
  if (!event.altKey || event.ctrlKey || (event.key !== "l" && event.key !== "L")) return;
  var button = document.getElementById("take-call");
  if (!button) return;
  event.preventDefault();
  button.click();
});
document.addEventListener("click", function (event) {
  if (!event.target.closest || !event.target.closest("#take-call")) return;
  takeCall(document.getElementById("incoming"), true);
});

// One key for each of the console's and the callback page's main buttons. Handled
// here only, not also as accesskeys: Chromium fires an accesskey on the character
// event that follows, which preventDefault cannot stop, and the form went twice.
document.addEventListener("keydown", function (event) {
  if (!event.altKey || event.ctrlKey) return;
  var key = event.key.toLowerCase();
  var id = {
    a: "add-call-first", b: "take-callback", y: "status-ready", p: "status-break",
    r: "outcome-reached", n: "outcome-no-answer", w: "outcome-wrong-number",
  }[key];
  var button = id && document.getElementById(id);
  if (!button || button.disabled) return;
  event.preventDefault();
  button.click();
});

// A CCCD number typed for a caller on another phone brings up their tickets too.
document.addEventListener("change", function (event) {
  if (event.target.id !== "id_cccd_number") return;
  var phone = document.getElementById("id_caller_phone");
  if (phone) phone.dispatchEvent(new Event("change", { bubbles: true }));
});

// Alt+S goes to the first published answer suggested for the summary (Enter shows it).
document.addEventListener("keydown", function (event) {
  if (!event.altKey || event.ctrlKey || event.key.toLowerCase() !== "s") return;
  var first = document.querySelector("#suggestion-first > summary");
  if (!first) return;
  event.preventDefault();
  first.focus();
});
