// @ts-check
// The page's entry point: loads the Rust core (the `window.juggle` API), then mounts the router, which
// shows the start view or a scenario (www/views/). Everything measured comes from the traces that
// `juggle.run` returns; the views only lay them out.

import { lessons, start } from 'virtual:juggle-content';
import { initializeChildListener } from '@open-iframe-resizer/core';
import { createJuggle } from './juggle.js';
import { listenForFrameCap } from './views/frame-cap.js';
import { loadPlotWhenIdle } from './views/plot.js';
import { createRouter } from './views/router.js';
import { isEmbed } from './views/url-state.js';

async function boot() {
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));
  const envStatus = /** @type {HTMLElement} */ (document.getElementById('env-status'));
  if (isEmbed(location.search)) {
    document.body.classList.add('embed');
    // Tell the host page our height (its embed.js listens), and keep telling it as results appear; hear
    // how tall it lets the frame grow (views/frame-cap.js).
    if (window.parent !== window) {
      initializeChildListener();
      listenForFrameCap();
    }
  }
  let juggle;
  try {
    // The browser's Python loads only when a program first runs (a chunk of its own).
    juggle = await createJuggle({ loadPython: () => import('./python/python.js') });
  } catch (failure) {
    envStatus.textContent = `Juggle could not load its Rust core: ${/** @type {import('./types/views.js').Thrown} */ (failure)?.message ?? failure}`;
    throw failure;
  }
  Object.assign(window, { juggle });
  await createRouter({ app, envStatus, juggle, lessons, start }).mount({
    // When a learner could first run something (npm run bench reads it).
    onShowing: () => performance.mark('juggle-ready'),
    // `ready`: the page is idle and takes input (the start view's pictures run later, when wanted).
    onIdle: () => {
      document.body.dataset.ready = 'true';
      // The charting library, not part of the first load: fetched now, before a first run needs it.
      loadPlotWhenIdle();
    },
  });
}

boot();
