// Settings for coi-serviceworker (loaded right after this file). On a static host that cannot send
// COOP/COEP headers (GitHub Pages and the like), the service worker adds them, after one reload on the first
// visit, so that the page is cross-origin isolated and the worker pool shares memory. Only a top-level page
// registers it: an iframe inside a page that is not isolated cannot become isolated this way, and runs on
// message-passing workers instead.
window.coi = {
  shouldRegister: () => window.top === window,
  quiet: true,
};
