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
    // an open drop-down list is a dialog (named after the drop-down's label) holding an optional
    // search box and native radio buttons (one choice) or checkboxes (several), each named by its
    // label. Dash marks the list up as an ARIA listbox whose options each wrap that radio button or
    // checkbox, an interactive control inside another (axe: nested-interactive, aria-dialog-name,
    // aria-input-field-name); the native controls alone say the same, so the ARIA roles go.
    root.querySelectorAll(".dash-dropdown-content").forEach(function (content) {
      var wrapper = content.closest(".dash-dropdown-wrapper");
      var button = wrapper && wrapper.querySelector("button.dash-dropdown[id]");
      var label = button && document.querySelector("label[for='" + button.id + "']");
      var name = label ? label.textContent.trim() : "Options";
      if (content.getAttribute("aria-label") !== name) content.setAttribute("aria-label", name);
      content.querySelectorAll("[role='listbox']").forEach(function (list) {
        list.setAttribute("role", "group");
        list.setAttribute("aria-label", name);
      });
      content.querySelectorAll("label[role='option'], label[aria-selected]").forEach(function (option) {
        option.removeAttribute("role");
        option.removeAttribute("aria-selected");
      });
    });
    root.querySelectorAll("button.dash-dropdown[aria-haspopup='listbox']").forEach(function (button) {
      button.setAttribute("aria-haspopup", "dialog");
    });
    // a multi-choice drop-down is named by "2 selected" and then its values, the reverse of the order
    // it shows them in (axe: label-content-name-mismatch); name it in the order a reader sees
    root.querySelectorAll("button.dash-dropdown[aria-labelledby]").forEach(function (button) {
      var ids = button.getAttribute("aria-labelledby").split(" ");
      if (ids.length === 2 && ids[0] === button.id + "-value-count" && ids[1] === button.id + "-value") {
        button.setAttribute("aria-labelledby", ids[1] + " " + ids[0]);
      }
    });
    root.querySelectorAll("input.dash-dropdown-focus-target[aria-hidden='true']").forEach(function (input) {
      input.removeAttribute("aria-hidden");
      if (!input.getAttribute("aria-label")) input.setAttribute("aria-label", labelFor(input));
    });
  }
  new MutationObserver(function () { fix(document); })
    .observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                        attributeFilter: ["aria-hidden", "role", "aria-selected", "aria-haspopup",
                                                          "aria-labelledby"]});
  document.addEventListener("DOMContentLoaded", function () { fix(document); });
})();
