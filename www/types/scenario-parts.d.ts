// The scenarios' own parts of the page, gathered from their folders by scripts/content-plugin.js.
declare module 'virtual:juggle-scenario-parts' {
  /** A figure's name in words: every scenario folder's labels.json and www/views/result-labels.json. */
  export const labels: Record<string, string>;
  /** The figures about the browser's machinery (listed under "browser" in a labels.json). */
  export const browserFigures: string[];
  /** Scenario id to its folder's view.js (crate/src/scenarios/<id>/view.js), for those that have one. */
  export const views: Record<
    string,
    {
      chart?: (trace: any, options: { xMax: number; width: number }) => HTMLElement | null;
      figures?: (variant: { id: string; title: string }, trace: any) => HTMLElement | null;
    }
  >;
}
