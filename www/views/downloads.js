// @ts-check
/**
 * Download buttons for one run: its trace as the core exports it (JSON, CSV, Chrome trace) and its
 * timeline (SVG, PNG). This module only turns text, or the timeline's SVG, into a file.
 */
import { el } from '../dom.js';

/**
 * Saves `blob` as a file through a temporary link.
 * @param {Blob} blob
 * @param {string} name
 */
function save(blob, name) {
  const link = /** @type {HTMLAnchorElement} */ (
    el('a', { href: URL.createObjectURL(blob), download: name })
  );
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}

/**
 * The timeline's SVG as a standalone file: its colours made explicit (it draws with `currentColor`).
 * @param {SVGSVGElement} chart
 */
function svgFile(chart) {
  const svg = /** @type {SVGSVGElement} */ (chart.cloneNode(true));
  svg.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  svg.setAttribute('color', getComputedStyle(document.body).color);
  svg.style.background = getComputedStyle(document.body).backgroundColor;
  return new Blob([new XMLSerializer().serializeToString(svg)], { type: 'image/svg+xml' });
}

/**
 * The timeline as a PNG at twice its size, drawn from the SVG file.
 * @param {SVGSVGElement} chart
 * @returns {Promise<Blob>}
 */
async function pngFile(chart) {
  const { width, height } = chart.getBoundingClientRect();
  const image = new Image();
  image.src = URL.createObjectURL(svgFile(chart));
  await image.decode();
  const canvas = /** @type {HTMLCanvasElement} */ (
    el('canvas', { width: Math.ceil(width * 2), height: Math.ceil(height * 2) })
  );
  canvas.getContext('2d')?.drawImage(image, 0, 0, canvas.width, canvas.height);
  URL.revokeObjectURL(image.src);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no PNG'))), 'image/png'),
  );
}

/**
 * @param {{ title: string }} variant
 * @param {{ scenario: string, variant: string }} trace
 * @param {{ exportTrace: (trace: object, format: 'json' | 'csv' | 'chrome') => Promise<string>,
 *   chart: () => SVGSVGElement }} options `exportTrace` is `juggle.exportTrace`; `chart` the run's drawn
 *   timeline (the SVG the figure shows)
 * @returns {HTMLElement}
 */
export function downloads(variant, trace, { exportTrace, chart }) {
  const base = `juggle-${trace.scenario}-${trace.variant}`;
  /** @param {'json' | 'csv' | 'chrome'} format @param {string} type @param {string} extension */
  const text = (format, type, extension) => async () =>
    save(new Blob([await exportTrace(trace, format)], { type }), `${base}${extension}`);
  /** @type {[string, string, () => void | Promise<void>][]} */
  const items = [
    ['JSON', 'the trace, as juggle.run returns it', text('json', 'application/json', '.json')],
    ['CSV', 'a row per span, printed line and beat', text('csv', 'text/csv', '.csv')],
    [
      'Chrome trace',
      'opens in Perfetto UI and chrome://tracing',
      text('chrome', 'application/json', '.trace.json'),
    ],
    ['SVG', 'the timeline as a vector image', () => save(svgFile(chart()), `${base}.svg`)],
    ['PNG', 'the timeline as a picture', async () => save(await pngFile(chart()), `${base}.png`)],
  ];
  // Where a download that failed says why (the core's on-demand part did not load, a picture could not
  // be made): as text, beside the buttons.
  const status = el('span', { class: 'download-status', role: 'status' });
  return el(
    'p',
    { class: 'downloads' },
    el('span', { class: 'downloads-label' }, 'Download:'),
    items.map(([label, title, action]) =>
      el(
        'button',
        {
          type: 'button',
          class: 'download',
          title,
          'aria-label': `Download ${variant.title} as ${label} (${title})`,
          onclick: async () => {
            status.textContent = '';
            try {
              await action();
            } catch (failure) {
              status.textContent = `${label} download failed: ${/** @type {any} */ (failure)?.message ?? failure}`;
            }
          },
        },
        label,
      ),
    ),
    status,
  );
}
