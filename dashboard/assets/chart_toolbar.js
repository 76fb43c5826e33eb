// Each chart's toolbar (plotly's modebar: zoom, pan, reset...) is one Tab stop, as the data grid
// is: Tab enters it at the button last used, the arrow keys move along it, Home and End go to its
// ends, and the next Tab leaves it (the WAI-ARIA toolbar pattern).
// Why: plotly makes each of its buttons a Tab stop of its own, so a keyboard user crossed up to
// 8 of them for every chart on the way down a page (and the My areas map's toolbar alone took 8
// of the 45 presses an officer has to build and save an area).
(function () {
  var BUTTON = "button.modebar-btn";

  function buttonsOf(bar) {
    return Array.prototype.slice.call(bar.querySelectorAll(BUTTON));
  }
  function setTabindex(button, value) {
    if (button.getAttribute("tabindex") !== value) button.setAttribute("tabindex", value);
  }
  // one button per toolbar keeps tabindex 0 (the first, or the one last moved to); plotly redraws
  // its buttons when a chart's layout changes, so this runs again whenever the page changes
  function rove(bar) {
    var buttons = buttonsOf(bar);
    if (!buttons.length) return;
    if (bar.getAttribute("role") !== "toolbar") {
      bar.setAttribute("role", "toolbar");
      bar.setAttribute("aria-label", "Chart tools");
    }
    var current = buttons.filter(function (b) { return b.getAttribute("tabindex") === "0"; })[0] || buttons[0];
    buttons.forEach(function (b) { setTabindex(b, b === current ? "0" : "-1"); });
  }
  function roveAll() {
    document.querySelectorAll(".modebar").forEach(rove);
  }
  var MOVES = {
    ArrowRight: function (i, n) { return (i + 1) % n; },
    ArrowDown: function (i, n) { return (i + 1) % n; },
    ArrowLeft: function (i, n) { return (i - 1 + n) % n; },
    ArrowUp: function (i, n) { return (i - 1 + n) % n; },
    Home: function () { return 0; },
    End: function (i, n) { return n - 1; }
  };
  document.addEventListener("keydown", function (event) {
    var move = MOVES[event.key];
    var from = move && event.target.closest && event.target.closest(BUTTON);
    var bar = from && from.closest(".modebar");
    if (!bar || event.altKey || event.ctrlKey || event.metaKey) return;
    var buttons = buttonsOf(bar);
    var to = buttons[move(buttons.indexOf(from), buttons.length)];
    event.preventDefault();
    buttons.forEach(function (b) { setTabindex(b, b === to ? "0" : "-1"); });
    to.focus();
  });
  new MutationObserver(roveAll).observe(document.documentElement, {subtree: true, childList: true});
  document.addEventListener("DOMContentLoaded", roveAll);
})();
