// The case page's sections answer an action with themselves, also when the action was refused: bad input (400),
// not allowed (403), a conflict (409) or a store that is down (503) come back as the section with the reason, marked
// by the X-Case-Section header (cases/core/web.py). htmx 2 does not swap error answers by default; swap these.
document.addEventListener("htmx:beforeSwap", function (event) {
  var xhr = event.detail.xhr;
  if (xhr.status >= 400 && xhr.getResponseHeader("X-Case-Section")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
