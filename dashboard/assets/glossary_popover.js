// A statistical term's definition, opened from its button (dashboard/components/glossary_text.py).
//
// The button carries the term and its definition (data-glossary-term, data-glossary-definition);
// this script draws Bootstrap's popover markup beside it (header and body set with textContent
// only, so no text is ever read as HTML). Click, Enter or Space opens it (a real <button>), the
// same again or Escape or a click elsewhere closes it, and Escape gives focus back to the term.
//
// Why not dbc.Popover: each term was five Dash components (span, button, popover, header, body),
// and Dash's renderer does work for every component on the page each time any one of them is
// drawn. A Dashboard page held 43 terms: 215 of its 558 components, ~0.2-0.3 s of its first render.
(function () {
  var TERM = "button.cpop-term[data-glossary-definition]";
  var GAP = 8; // px between the term and its popover, and kept from the window's edges
  var open = null; // {button, popover, watcher}

  function close(returnFocus) {
    if (!open) return;
    var current = open;
    open = null;
    current.watcher.disconnect();
    current.popover.remove();
    current.button.setAttribute("aria-expanded", "false");
    current.button.removeAttribute("aria-describedby");
    if (returnFocus && current.button.isConnected) current.button.focus();
  }

  function build(button) {
    var popover = document.createElement("div");
    popover.className = "popover cpop-glossary";
    popover.setAttribute("role", "tooltip");
    popover.id = button.id + "-definition";
    var arrow = document.createElement("div");
    arrow.className = "popover-arrow";
    var header = document.createElement("h3");
    header.className = "popover-header";
    header.textContent = button.getAttribute("data-glossary-term");
    var body = document.createElement("div");
    body.className = "popover-body";
    body.textContent = button.getAttribute("data-glossary-definition");
    popover.appendChild(arrow);
    popover.appendChild(header);
    popover.appendChild(body);
    return popover;
  }

  // below the term if it fits in the window, else above; kept inside the window's width
  function place(button, popover) {
    var term = button.getBoundingClientRect();
    var box = popover.getBoundingClientRect();
    var below = term.bottom + GAP + box.height <= window.innerHeight || term.top < box.height + GAP;
    var side = below ? "bottom" : "top";
    popover.classList.add("bs-popover-" + side);
    popover.setAttribute("data-popper-placement", side);
    var width = document.documentElement.clientWidth;
    var centre = term.left + term.width / 2;
    var left = Math.max(GAP, Math.min(centre - box.width / 2, width - box.width - GAP));
    var top = below ? term.bottom + GAP : term.top - GAP - box.height;
    popover.style.left = (left + window.scrollX) + "px";
    popover.style.top = (top + window.scrollY) + "px";
    popover.firstChild.style.position = "absolute";
    popover.firstChild.style.left = Math.max(GAP, Math.min(centre - left, box.width - GAP)) - 8 + "px";
  }

  function show(button) {
    var popover = build(button);
    popover.style.position = "absolute";
    popover.style.top = "0";
    popover.style.left = "0";
    document.body.appendChild(popover);
    place(button, popover);
    button.setAttribute("aria-expanded", "true");
    button.setAttribute("aria-describedby", popover.id);
    // a callback that redraws the section removes the term: its popover goes with it
    var watcher = new MutationObserver(function () { if (!button.isConnected) close(false); });
    watcher.observe(document.body, {childList: true, subtree: true});
    open = {button: button, popover: popover, watcher: watcher};
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    var button = target && target.closest ? target.closest(TERM) : null;
    if (button) {
      var same = open && open.button === button;
      close(false);
      if (!same) show(button);
      return;
    }
    if (open && !open.popover.contains(target)) close(false);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && open) close(true);
  });
})();
