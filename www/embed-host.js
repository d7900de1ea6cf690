// @ts-check
/**
 * For pages that embed Juggle (`dist/embed.js`): fits every `<iframe class="juggle">` to its content's
 * height, using @open-iframe-resizer/core (MIT). The embedded page answers through the library's child
 * listener; messages are accepted only from the iframe's own origin.
 *
 *   <iframe class="juggle" src="https://…/?scenario=count&embed=1" title="…" loading="lazy"
 *           allow="cross-origin-isolated" style="width: 100%; border: 0"></iframe>
 *   <script type="module" src="https://…/embed.js"></script>
 */
import { initialize } from '@open-iframe-resizer/core';

initialize({ checkOrigin: true }, 'iframe.juggle');
