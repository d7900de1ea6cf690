// Settings for coi-serviceworker (loaded right after this file). On a static host that cannot send
// COOP/COEP headers (GitHub Pages and the like), the service worker adds them, after one reload on the first
// visit, so that the page is cross-origin isolated and the worker pool shares memory. Only a top-level page
// registers it: an iframe inside a page that is not isolated cannot become isolated this way, and runs on
// message-passing workers instead.
window.coi = {
  shouldRegister: () => window.top === window,
  // coi-serviceworker reloads as soon as the worker's installation starts ("updatefound"); on a slow
  // machine the reloaded page could then load before the worker was active, uncontrolled and not isolated,
  // and stay so (seen in the end-to-end tests under load). Reload once the worker is active, so the next
  // navigation goes through it.
  doReload: () => navigator.serviceWorker.ready.then(() => window.location.reload()),
  quiet: true,
};
