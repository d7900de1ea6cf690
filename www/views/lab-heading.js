// @ts-check
/**
 * The Lab's heading. The full Lab's says what the Lab is; an embed's is its program's title (its docstring
 * or first comment, embed-panel.js's programTitle) with "Open in Juggle ↗", a link to the full Lab with the
 * program, both following the program as it is edited.
 */
import { el } from '../dom.js';

/**
 * @param {{ embed: boolean, title: string, href: string }} options `title` and `href`: an embed's
 *   program title and "Open in Juggle" link at first
 * @returns {{ element: HTMLHeadingElement, update: (now: { title?: string, href?: string }) => void }}
 *   `update`: the program's title or its link changed (nothing to follow outside an embed)
 */
export function labHeading({ embed, title, href }) {
  if (!embed)
    return {
      element: el(
        'h2',
        { tabindex: '-1', id: 'lab-heading' },
        'The Lab: your own Python program, on the timeline',
      ),
      update: () => {},
    };
  const name = el('span', { id: 'lab-title' }, title);
  const openLink = el(
    'a',
    { class: 'open-juggle', id: 'lab-open-juggle', href, target: '_blank', rel: 'noopener' },
    'Open in Juggle ↗',
  );
  return {
    element: el('h2', { tabindex: '-1', id: 'lab-heading' }, name, openLink),
    update(now) {
      if (now.title !== undefined) name.replaceChildren(now.title);
      if (now.href !== undefined) openLink.setAttribute('href', now.href);
    },
  };
}
