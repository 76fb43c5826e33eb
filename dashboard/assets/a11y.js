// Accessibility fixes for Dash 4's dropdown: its keyboard focus target is an <input> marked
// aria-hidden yet focusable (axe: aria-hidden-focus). Expose it to assistive technology with
// the dropdown's label instead of hiding it, so keyboard and screen-reader users agree.
(function () {
  function labelFor(input) {
    var box = input.closest("[id]");
    var label = box && document.querySelector("label[for='" + box.id + "']");
    return label ? label.textContent.trim() : "Choose an option";
  }
  function fix(root) {
    // dcc.Upload's hidden file input has no label of its own
    root.querySelectorAll("input[type='file']:not([aria-label])").forEach(function (input) {
      input.setAttribute("aria-label", "Upload a file");
    });
    root.querySelectorAll("input.dash-dropdown-focus-target[aria-hidden='true']").forEach(function (input) {
      input.removeAttribute("aria-hidden");
      if (!input.getAttribute("aria-label")) input.setAttribute("aria-label", labelFor(input));
    });
  }
  new MutationObserver(function () { fix(document); })
    .observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                        attributeFilter: ["aria-hidden"]});
  document.addEventListener("DOMContentLoaded", function () { fix(document); });
})();
