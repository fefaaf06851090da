// The default scenario's first view as static HTML, for index.html (see
// src/ui/staticFirstView.ts): the explorer rendered by react-dom/server from
// the store as the page's own start leaves it, once it has shown the build's
// first run. Loaded through Vite's module runner by firstRunPlugin.ts, in the
// same module graph as defaultFirstRun.ts, so the diagram is laid out from the
// same shapes the page ships.
import React, { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { App } from '../src/ui/App.tsx';
import { offerFirstRun, useExplorer } from '../src/ui/store.ts';
import { openLink } from '../src/ui/shareApp.ts';
import { documentTitle } from '../src/ui/documentTitle.ts';
import { opensOnDefault, LIVE_ONLY_ATTR, type StaticViewKeys } from '../src/ui/staticFirstView.ts';
import { OWN_KEY, TAB_KEY } from '../src/ui/editor/savedScenarios.ts';
import { SCENARIOS } from '../src/scenarios/index.ts';
import type { FirstRun } from '../src/engine/worker/firstRun.ts';

export interface StaticFirstView {
  /** The explorer's markup, for #root. */
  html: string;
  /** The tab's title at that view. */
  title: string;
  /** The head's script that marks a page not opening on this view (before its first paint). */
  gate: string;
}

/** The script the page's head runs: the inlined `opensOnDefault`, marking <html> when it is false. */
export function gateScript(keys: StaticViewKeys): string {
  return (
    `(function(){var ok=false;try{ok=(${opensOnDefault.toString()})(location,localStorage,sessionStorage,${JSON.stringify(keys)});}catch(e){}` +
    `if(!ok)document.documentElement.setAttribute(${JSON.stringify(LIVE_ONLY_ATTR)},'');})();`
  );
}

export async function staticFirstView(first: FirstRun): Promise<StaticFirstView> {
  // The page's own start (main.tsx, startApp) with no link: the run computed ahead is offered, and shown.
  offerFirstRun(Promise.resolve(first));
  await openLink('', 'http://localhost/', true);
  const s = useExplorer.getState();
  if (s.summary === null || s.view === null)
    throw new Error(`staticFirstView: the first run was not shown (${s.error ?? 'no error'})`);
  // react-dom/server draws a store's initial state (useSyncExternalStore's server snapshot): here it
  // must draw the state the page has once the run is shown, which is the store's current one.
  const useSyncExternalStore = React.useSyncExternalStore;
  React.useSyncExternalStore = (subscribe, getSnapshot) => useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
  try {
    return {
      html: renderToString(
        <StrictMode>
          <App />
        </StrictMode>,
      ),
      title: documentTitle(s.view.step, s.summary.total, s.summary.title),
      gate: gateScript({ own: OWN_KEY, tab: TAB_KEY, example: SCENARIOS[0].id }),
    };
  } finally {
    React.useSyncExternalStore = useSyncExternalStore;
  }
}
