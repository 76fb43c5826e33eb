// Focus management: the skip link focuses <main>; after an in-app link (a dcc.Link or the menu)
// or Back/Forward, focus moves to the new page's h1.
// Why: Dash swaps the page without a reload, so focus would drop to <body>, the next Tab would
// land mid-page and a screen reader would not announce the new page (WCAG 2.4.3, 4.1.3). The h1
// gets tabindex="-1" (focusable by script, not a Tab stop). Changes of the query string made by a
// page's own controls (its state in the URL) are not navigation and leave focus where it is.
(function () {
  var pending = null;  // {old: the h1 before navigating, until: give up after this time (ms)}

  function heading() {
    return document.querySelector("#_pages_content h1") || document.querySelector("main h1");
  }
  function settle() {
    if (!pending) return;
    var h1 = heading();
    if (Date.now() > pending.until) { pending = null; return; }
    if (!h1 || h1 === pending.old) return;
    pending = null;
    h1.setAttribute("tabindex", "-1");
    // a link to a section of the page (#map) is scrolled there by scroll_to_section.js
    h1.focus({preventScroll: !!window.location.hash});
  }
  function navigating() {
    pending = {old: heading(), until: Date.now() + 15000};
    setTimeout(settle, 0);
  }
  function internalLink(event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.target) return;
    if (link.classList.contains("cpop-skip-link")) {
      // the skip link focuses <main> without adding "#main-content" to the page's shareable address
      var main = document.getElementById(link.getAttribute("href").slice(1));
      if (main) { event.preventDefault(); main.focus(); main.scrollIntoView({block: "start"}); }
      return;
    }
    var url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin || link.hasAttribute("download")) return;
    if (url.pathname === window.location.pathname && url.search === window.location.search) return;  // #fragment
    // Dash redraws the page when the path or the query changes; until then the old h1 stays
    navigating();
  }
  document.addEventListener("click", internalLink, true);
  window.addEventListener("popstate", function () { navigating(); });
  new MutationObserver(settle).observe(document.documentElement, {subtree: true, childList: true});
})();
