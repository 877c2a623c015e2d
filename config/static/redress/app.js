// A table too wide for the screen scrolls sideways in its own box (.table-wrap). Such a box is made focusable, so a
// keyboard can reach it and scroll it with the arrow keys; a box that fits is left out of the tab order. Runs on
// load, when the window is resized and after htmx swaps a section in.
(function () {
  "use strict";
  function markScrollingBoxes() {
    document.querySelectorAll(".table-wrap").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.dataset.scrollFocus = "1";
      } else if (!scrolls && box.dataset.scrollFocus) {
        box.removeAttribute("tabindex");
        delete box.dataset.scrollFocus;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", markScrollingBoxes);
  window.addEventListener("resize", markScrollingBoxes);
  document.addEventListener("htmx:afterSettle", markScrollingBoxes);
})();
