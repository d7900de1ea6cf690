// @ts-check
/**
 * The router: shows what the URL asks for (the start view, or a scenario: always a scenario when
 * embedded) in the page's `#app`, follows in-page links and Back without reloading (the core and the pool
 * stay loaded), and keeps the URL in step with the knobs. It owns what lives as long as the page does: the
 * run control (one run at a time, Esc and navigation cancel it) and the session (prediction answers per
 * scenario, the time axis choice); each view gets what it needs as arguments. Recorded runs (a file, a
 * `#trace=` link) are recorded-view.js's: the router only takes the page to where one belongs.
 */
import { el } from '../dom.js';
import { showEnv } from './env-status.js';
import { readLabQuery } from './lab-link.js';
import { recordedRuns } from './recorded-view.js';
import { createRunControl } from './run-control.js';
import { scenarioView } from './scenario-view.js';
import { drawWhenWanted, runPictures, startView } from './start.js';
import { tracePayload } from './trace-link.js';
import { readQuery, scenarioHref, scenarioQuery, standaloneUrl } from './url-state.js';

/** @typedef {import('../types/views.js').Thrown} Thrown */

/**
 * @param {{ app: HTMLElement, envStatus: HTMLElement, juggle: any, lessons: Record<string, () => Promise<any>>,
 *   start: any }} options `app` is where views go; `envStatus` the header's status line; `lessons` and
 *   `start` the built content (virtual:juggle-content)
 */
export function createRouter({ app, envStatus, juggle, lessons, start }) {
  const catalogue = juggle.scenarios();
  const embed = readQuery(location.search, catalogue).embed;
  const control = createRunControl();
  /** @type {{ answers: Record<string, import('../types/views.js').Answers>, axis: 'shared' | 'fitted' }} */
  const session = { answers: {}, axis: 'shared' };
  /** What is shown: the scenario and its knobs, or null for the start view (and before anything shows). */
  /** @type {{ scenario: any, params: Record<string, unknown> } | null} */
  let shown = null;
  /** Counts navigations, so that a view whose content arrives after a newer navigation is dropped. */
  let navigation = 0;
  /** The scenario view shown, if any. */
  /** @type {ReturnType<typeof scenarioView> | null} */
  let current = null;
  /** The query the last route showed (the knobs rewrite it in place). */
  let routedSearch = '';
  /** The Lab, when it is shown (lab.js, loaded with CodeMirror the first time the Lab opens). */
  /** @type {any} */
  let lab = null;

  const href = (/** @type {string | null} */ id) => scenarioHref(id, location.pathname);
  const env = () => showEnv(envStatus, juggle.status(), standaloneUrl(location.href, shown));
  /** A batch of runs ended (in a scenario or the Lab): the header's status follows; the tests count it. */
  const batchEnded = () => {
    env();
    document.body.dataset.runs = String(Number(document.body.dataset.runs ?? 0) + 1);
  };

  /** The site navigation: the start view, then every scenario. */
  const siteNav = () => {
    const current = shown?.scenario.id ?? null;
    const link = (/** @type {string | null} */ id, /** @type {string} */ text) =>
      el(
        'a',
        {
          href: href(id),
          'data-route': '',
          class: 'tab',
          'aria-current': !lab && id === current ? 'page' : null,
        },
        text,
      );
    const nav = el(
      'nav',
      { class: 'scenario-nav', 'aria-label': 'Scenarios' },
      link(null, 'Start: the ideas'),
      catalogue.map((/** @type {any} */ s) => link(s.id, s.title)),
      el(
        'a',
        { href: '?lab=1', 'data-route': '', class: 'tab lab-tab', 'aria-current': lab ? 'page' : null },
        'The Lab',
      ),
    );
    // On a phone the tabs are a row that scrolls sideways (style.css): bring the current one into it.
    requestAnimationFrame(() => {
      const here = nav.querySelector('[aria-current="page"]');
      if (here && nav.scrollWidth > nav.clientWidth)
        nav.scrollLeft += here.getBoundingClientRect().left - nav.getBoundingClientRect().left - 16;
    });
    return nav;
  };

  /**
   * Shows the start view; its three pictures are run and drawn once the page is usable and they are wanted
   * (in view after the page has loaded: see `drawWhenWanted`); a button under them runs them again.
   */
  const showStart = () => {
    shown = null;
    current = null;
    leaveLab();
    document.title = 'Juggle: concurrency versus parallelism, run for real';
    const { view, pictures } = startView({ start, catalogue, href });
    app.replaceChildren(siteNav(), view);
    // Only while this start view is the one shown (a link may be on its way to another view).
    const ticket = navigation;
    drawWhenWanted(pictures, () => {
      if (ticket === navigation) drawStartPictures(pictures);
    });
  };

  /**
   * Runs the start view's three pictures now and draws them into `pictures` (start.js's `runPictures`).
   * @param {HTMLElement} pictures
   */
  const drawStartPictures = (pictures) => runPictures(pictures, { juggle, control, onDone: env });

  /**
   * Shows a scenario once its content (lesson, questions, code) has loaded, unless a newer navigation
   * happened meanwhile. Resolves to its view, or null if it was not shown.
   * @param {any} scenario
   * @param {Record<string, unknown>} params
   * @param {number} ticket
   */
  const showScenario = async (scenario, params, ticket) => {
    let content;
    try {
      content = (await lessons[scenario.id]()).default;
    } catch (failure) {
      if (ticket !== navigation) return null;
      app.replaceChildren(
        ...(embed ? [] : [siteNav()]),
        el(
          'p',
          { class: 'error', role: 'alert' },
          `The page for "${scenario.title}" could not be loaded (${/** @type {Thrown} */ (failure)?.message ?? failure}). Reload the page to try again.`,
        ),
      );
      return null;
    }
    if (ticket !== navigation) return null;
    leaveLab();
    shown = { scenario, params };
    document.title = `${scenario.title} · Juggle`;
    const view = scenarioView({
      scenario,
      content,
      params,
      juggle,
      session,
      control,
      embed,
      onParams: () => {
        history.replaceState(null, '', `?${scenarioQuery(scenario, params, { embed })}`);
        routedSearch = location.search;
      },
      onBatchEnd: batchEnded,
      onOpenFile: (file) => openFile(file),
    });
    current = view;
    app.replaceChildren(...(embed ? [] : [siteNav()]), view.element);
    return view;
  };

  /** Drops the Lab when another view replaces it. */
  const leaveLab = () => {
    lab?.destroy();
    lab = null;
  };

  /**
   * Shows the Lab (`?lab=1`): its module and CodeMirror load now, the first time. Resolves once shown.
   * @param {number} ticket
   */
  const showLab = async (ticket) => {
    let view;
    try {
      const { labView } = await import('./lab.js');
      view = await labView({
        juggle,
        control,
        catalogue,
        lessons,
        embed,
        onBatchEnd: batchEnded,
        onOpenFile: (/** @type {File} */ file) => openFile(file),
      });
    } catch (failure) {
      if (ticket !== navigation) return;
      app.replaceChildren(
        ...(embed ? [] : [siteNav()]),
        el(
          'p',
          { class: 'error', role: 'alert' },
          `The Lab could not be loaded (${/** @type {Thrown} */ (failure)?.message ?? failure}). Reload the page to try again.`,
        ),
      );
      return;
    }
    if (ticket !== navigation) {
      view.destroy();
      return;
    }
    leaveLab();
    shown = null;
    current = null;
    lab = view;
    // An embedded program is titled by its program, as its heading is (a frame's title for a screen reader).
    const programTitle = embed ? view.element.querySelector('#lab-title')?.textContent : null;
    document.title = programTitle ? `${programTitle} · Juggle Lab` : 'The Lab · Juggle';
    app.replaceChildren(...(embed ? [] : [siteNav()]), view.element);
  };

  /**
   * Shows what the URL asks for. `moveFocus` (after in-page navigation) scrolls to the top and puts the
   * focus on the view's heading. Resolves to what the URL asked for and the scenario view shown, if any.
   */
  const route = async ({ moveFocus = false } = {}) => {
    const ticket = ++navigation;
    routedSearch = location.search;
    const url = readQuery(location.search, catalogue);
    const focusHeading = () => {
      if (!moveFocus) return;
      scrollTo(0, 0);
      app.querySelector('h2')?.focus();
    };
    if (readLabQuery(location.search).lab) {
      await showLab(ticket);
      focusHeading();
      return { url, view: null };
    }
    if (!embed && url.scenario === null && !url.unknownScenario) {
      showStart();
      focusHeading();
      return { url, view: null };
    }
    const view = await showScenario(url.scenario ?? catalogue[0], url.params, ticket);
    if (!view) return { url, view };
    focusHeading();
    if (url.unknownScenario) {
      const allowed = catalogue.map((/** @type {any} */ s) => s.id).join(', ');
      view.showError(
        `There is no scenario "${url.unknownScenario}" (allowed: ${allowed}); showing "${shown?.scenario.id}" instead, without running it.`,
      );
    }
    return { url, view };
  };

  /**
   * Follows a link inside the page without reloading it. Leaving a view cancels what runs in it, as
   * leaving a page would; a link to the view already shown does nothing.
   * @param {string} target
   */
  const navigate = async (target, { push = true } = {}) => {
    const to = new URL(target, location.href);
    if (push) {
      const wanted = to.searchParams.get('scenario');
      const toLab = to.searchParams.get('lab') === '1';
      if (!toLab && !lab && wanted === (shown?.scenario.id ?? null)) return;
      if (toLab && lab && to.search === location.search) return;
      history.pushState(null, '', to.href);
    }
    control.abort();
    await control.settled();
    await route({ moveFocus: true });
  };

  /**
   * Takes the page to where a checked recorded run belongs (the Lab for a Lab run, else its scenario with
   * its knobs) and resolves to the view there that shows it, or null.
   * @param {any} trace
   */
  const viewFor = async (trace) => {
    if (trace.scenario === 'lab') {
      if (!lab) await navigate('?lab=1');
      return lab;
    }
    if (shown?.scenario.id !== trace.scenario) {
      const scenario = catalogue.find((/** @type {any} */ s) => s.id === trace.scenario);
      await navigate(`?${scenarioQuery(scenario, trace.params, { embed })}`);
    }
    return shown?.scenario.id === trace.scenario ? current : null;
  };
  const recorded = recordedRuns({
    app,
    juggle,
    busy: () => control.busy,
    viewFor,
    errorView: () => current,
  });
  const openFile = recorded.openFile;

  /**
   * Starts listening (links, Back, Esc) and shows the first view; resolves once it is idle. A URL with
   * `autorun=1` then runs its variant, or every variant that can run here (never for an unknown scenario:
   * the learner did not ask for the one shown).
   * @param {{ onShowing?: () => void, onIdle?: () => void }} [options] `onShowing` is called as soon as
   *   the first view starts to show (a learner can run something), `onIdle` once it is idle, before autorun
   */
  const mount = async ({ onShowing, onIdle } = {}) => {
    document.addEventListener('click', (event) => {
      const link = /** @type {HTMLElement | null} */ (event.target)?.closest?.('a[data-route]');
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      navigate(link.getAttribute('href') ?? '');
    });
    addEventListener('popstate', () => {
      // A new fragment alone (a `#trace=` link pasted in this tab) is the hashchange listener's.
      if (location.search === routedSearch) return;
      navigate(location.href, { push: false });
    });
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') control.abort();
    });
    recorded.listenForDrops();
    // A `#trace=` link opens its run wherever it belongs; the Lab reads its own `#code=` links.
    addEventListener('hashchange', () =>
      lab && tracePayload(location.hash) === null ? lab.openHash() : recorded.openLink(),
    );
    env();
    const showing = route();
    onShowing?.();
    const { url, view } = await showing;
    // A link with a recorded run shows it rather than running anything.
    if (await recorded.openLink()) {
      onIdle?.();
      return;
    }
    onIdle?.();
    if (view && url.autorun && !url.unknownScenario)
      await view.runVariants(url.variant ? [url.variant] : view.runnable());
  };

  return { mount, navigate, openFile };
}
