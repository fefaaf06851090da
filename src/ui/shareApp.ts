// Wires the sharing and embedding modules (src/ui/share/) into the explorer:
// - startup: reads the embed options (query) and the shared state (fragment),
//   loads the link's scenario without saving it, then applies its step, skb,
//   panel and theme; a link that cannot be read is reported (role="alert",
//   with the broken text kept) and the default scenario is loaded instead;
// - the fragment follows the state on display (history.replaceState, through
//   one hash writer) once the link has been applied;
// - in a frame, the postMessage bridge to the host page.
// Step numbers follow the link the app was opened with: an older link's step,
// and an embed's from/to and postMessage steps, count what that link's format
// counted (format 1: calls; format 2: entries and returns, without the inline
// queue helpers) and are mapped to the same moment (stepNumbering.ts); with a
// format-3 link, or none, they are steps as the app counts them.
import { create } from 'zustand';
import { useExplorer, offerFirstRun, setStorageEnabled, tabStorage, type ExplorerState, type PanelId } from './store.ts';
import type { FirstRun } from '../engine/worker/firstRun.ts';
import { SCENARIOS } from '../scenarios/index.ts';
import { readTab, writeTab } from './editor/savedScenarios.ts';
import type { DecodeResult, ShareState } from './share/urlState.ts';
import { SHARE_FORMAT } from './share/linkFormat.ts';
import { DEFAULT_EMBED_OPTIONS, parseEmbedOptions, type EmbedOptions, type EmbedPanel } from './share/embedOptions.ts';
import { createHashWriter, type HashWindow, type HashWriter } from './share/hashSync.ts';
import { installHostBridge } from './share/messages.ts';
import { stepFunction, type RunSummary } from '../engine/worker/protocol.ts';
import { appStepOfLinkStep, lastAppStepOfLinkStep, linkStepCount, linkStepOfAppStep } from './share/stepNumbering.ts';
import { afterNextPaint } from './afterPaint.ts';
import { afterFirstView } from './afterFirstView.ts';

export interface ShareUi {
  /** The embed options from the query string (read once, at startup). */
  options: EmbedOptions;
  /** The panel an embed shows beside the topology. */
  embedPanel: EmbedPanel;
  /** A link that could not be opened: why, and its text (to copy). */
  linkError: { message: string; raw: string } | null;
  /** Why the state on display cannot be put in a link (e.g. too large), if so. */
  shareError: string | null;
  /** True once the link (or the default scenario) is loaded and applied. */
  ready: boolean;
  /** The URL fragment the app last wrote (or the one it was opened with). */
  hash: string;
  dismissLinkError(): void;
}

export const useShare = create<ShareUi>()((set) => ({
  options: { ...DEFAULT_EMBED_OPTIONS },
  embedPanel: 'callstack',
  linkError: null,
  shareError: null,
  ready: false,
  hash: typeof location === 'undefined' ? '' : location.hash,
  dismissLinkError() {
    set({ linkError: null });
  },
}));

/** Store panel id → link panel name ('stack' is 'callstack' in links). */
export function sharePanel(p: PanelId): string {
  return p === 'stack' ? 'callstack' : p;
}

/** Link panel name → store panel id, or null for a name the app has no panel for. */
export function storePanel(name: string): PanelId | null {
  switch (name) {
    case 'callstack':
      return 'stack';
    case 'topology':
    case 'skb':
    case 'events':
    case 'captures':
    case 'terminal':
      return name;
    default:
      return null;
  }
}

const EMBED_KEYS = ['embed', 'autoplay', 'speed', 'panel', 'theme', 'from', 'to', 'controls'];

/** `href` without the embed options: the full app at the same state. */
export function fullAppUrl(href: string): string {
  const u = new URL(href);
  for (const k of EMBED_KEYS) u.searchParams.delete(k);
  return u.href;
}

/** The state on display, as a link carries it (null before a run is loaded). */
export function currentShareState(s: ExplorerState = useExplorer.getState()): ShareState | null {
  if (!s.summary || s.loadedText === null) return null;
  const state: ShareState = { v: SHARE_FORMAT, scenario: s.loadedText, step: s.step, panels: [sharePanel(s.selectedPanel)] };
  if (s.selectedSkb !== null) state.skb = s.selectedSkb;
  if (s.theme) state.theme = s.theme;
  return state;
}

let writer: HashWriter | null = null;
/** While playing, the fragment is rewritten at most this often (browsers throttle replaceState). */
const PLAYING_WRITE_MS = 250;
/** While the reader steps quickly (a held arrow key), at most this often; a single step is written at once. */
const STEPPING_WRITE_MS = 150;
let lastWriteAt = -Infinity;
/** The write that waits out PLAYING_WRITE_MS or STEPPING_WRITE_MS, if any. */
let writeTimer: ReturnType<typeof setTimeout> | null = null;
/** Cancels the write waiting for the step on display to be painted, if any. */
let cancelPaintedWrite: (() => void) | null = null;
/** True while a link is being opened: the fragment is then left alone. */
let applying = false;
let openSeq = 0;
/** A host page's goto / play that arrived before the run was ready. */
let pendingGoto: number | null = null;
let pendingPlay = false;
let started = false;
/** The link format whose step numbering the embed options and the host page use (that of the link opened). */
let numbering = SHARE_FORMAT;

/** A step from the link, an embed option or the host page, in the app's numbering. */
function appStep(summary: RunSummary, step: number): number {
  return numbering === SHARE_FORMAT ? step : appStepOfLinkStep(summary, numbering, step);
}

/** The embed's from/to (query options) in the app's numbering. */
function appRange(summary: RunSummary, o: EmbedOptions): { from: number | null; to: number | null } {
  if (numbering === SHARE_FORMAT) return { from: o.from, to: o.to };
  return {
    from: o.from === null ? null : appStepOfLinkStep(summary, numbering, o.from),
    to: o.to === null ? null : lastAppStepOfLinkStep(summary, numbering, o.to),
  };
}

function reducedMotion(): boolean {
  try {
    return window.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true;
  } catch {
    return false;
  }
}

/** Plays from the start of the range if at its end. */
function play(): void {
  const s = useExplorer.getState();
  if (!s.summary) return;
  const { lo, hi } = s.bounds();
  if (s.step >= hi) s.goTo(lo);
  s.setPlaying(true);
}

function writeNow(): void {
  if (writeTimer !== null) {
    clearTimeout(writeTimer);
    writeTimer = null;
  }
  cancelPaintedWrite?.();
  cancelPaintedWrite = null;
  lastWriteAt = performance.now();
  const state = currentShareState();
  if (state && !applying) writer?.write(state);
}

/**
 * Writes as soon as the step the reader went to is painted (the URL is the
 * state; encoding it and replaceState, which browsers make slow, must not
 * delay the picture), at most every STEPPING_WRITE_MS (the latest state);
 * at most every PLAYING_WRITE_MS while playing.
 */
function scheduleWrite(playing: boolean): void {
  const wait = STEPPING_WRITE_MS - (performance.now() - lastWriteAt);
  if (!playing && wait <= 0) {
    cancelPaintedWrite ??= afterNextPaint(writeNow);
    return;
  }
  if (cancelPaintedWrite) return; // the write on its way writes the latest state
  if (writeTimer === null) {
    writeTimer = setTimeout(
      () => {
        writeTimer = null;
        writeNow();
      },
      playing ? PLAYING_WRITE_MS : wait,
    );
  }
}

/** Flushes any pending fragment write: afterwards location.href is the share link. */
export async function flushLink(): Promise<void> {
  writeNow();
  await writer?.flush();
}

/** Remembers, for a reload of this tab, what it shows and the fragment it shows it at. */
function rememberTab(): void {
  writeTab(tabStorage(), { source: useExplorer.getState().source, hash: useShare.getState().hash });
}

/**
 * Opens a link's fragment: decodes it, loads its scenario (not saved to
 * storage) and applies its step and view state. With no fragment, runs the
 * editor's scenario (the default scenario in an embed). A fragment that cannot
 * be read is reported and the default scenario is run.
 *
 * A reload of this tab at the fragment it was showing (`reload`) is not a new
 * link: the tab's own text comes back (it may hold edits newer than the URL's
 * run), at the URL's step where that still exists.
 */
export async function openLink(hash: string, raw: string, reload = false): Promise<void> {
  const seq = ++openSeq;
  applying = true;
  useShare.setState({ ready: false });
  try {
    const { options } = useShare.getState();
    let state: ShareState | null = null;
    const has = hash !== '' && hash !== '#';
    if (has) {
      // The link's reader is fetched only when there is a link to read.
      const r = await import('./share/urlState.ts').then(
        ({ decodeState }) => decodeState(hash),
        (err: unknown): DecodeResult => ({
          ok: false,
          error: `skbwalk could not load its link reader (${String(err)}); reload the page to try again`,
          raw: hash,
        }),
      );
      if (seq !== openSeq) return;
      if (r.ok) {
        state = r.state;
        for (const w of r.warnings) console.warn(`skbwalk link: ${w}`);
        useShare.setState({ linkError: null });
      } else {
        useShare.setState({ linkError: { message: r.error, raw } });
      }
    }
    const s = useExplorer.getState();
    const tab = reload && has ? readTab(tabStorage()) : null;
    const ownReload = !!state && !!tab && tab.hash === hash && tab.source.kind !== 'link';
    if (state && !ownReload) s.loadText(state.scenario);
    else if (!state && (has || options.embed)) s.restoreSource({ kind: 'example', id: SCENARIOS[0].id });
    // False when the run was cancelled (or failed): the link's step and panels are not applied to another run.
    const ran = await s.run();
    if (seq !== openSeq) return;
    const after = useExplorer.getState();
    numbering = state ? state.v : SHARE_FORMAT;
    if (ran && after.summary) {
      if (options.from !== null || options.to !== null) after.setRange(appRange(after.summary, options));
      after.goTo(state ? appStep(after.summary, state.step) : after.bounds().lo);
      if (state) {
        const first = state.panels?.map(storePanel).find((p): p is PanelId => p !== null);
        if (first && !options.embed) after.selectPanel(first);
        if (first && options.embed && !new URLSearchParams(location.search).has('panel')) {
          const name = sharePanel(first);
          if (name !== 'topology') {
            useShare.setState({ embedPanel: name as EmbedPanel });
            after.selectPanel(first);
          }
        }
        if (state.skb !== undefined) after.selectSkb(state.skb);
        if (state.theme && !options.theme) after.setTheme(state.theme);
      }
    }
  } finally {
    if (seq === openSeq) {
      applying = false;
      useShare.setState({ ready: true });
      rememberTab();
      // The address bar shows the run once its picture is painted (the link's encoder is fetched then, not before).
      cancelPaintedWrite?.();
      cancelPaintedWrite = afterFirstView(writeNow);
      if (pendingGoto !== null) {
        const s = useExplorer.getState();
        if (s.summary) s.goTo(appStep(s.summary, pendingGoto));
        pendingGoto = null;
      }
      if (pendingPlay) {
        pendingPlay = false;
        play();
      }
    }
  }
}

/** Keeps the fragment in step with the store. Returns the uninstaller. */
function installHashSync(): () => void {
  const hashWindow: HashWindow = {
    location: window.location,
    history: {
      get state() {
        return window.history.state;
      },
      replaceState(data, unused, url) {
        window.history.replaceState(data, unused, url);
        const hash = window.location.hash;
        useShare.setState(hash ? { hash, shareError: null } : { hash });
        rememberTab();
      },
    },
  };
  // No delay of the writer's own: a reload right after a step must find that step in the URL.
  writer = createHashWriter(hashWindow, { delayMs: 0, onError: (m) => useShare.setState({ shareError: m }) });
  const unsub = useExplorer.subscribe((st, prev) => {
    if (st.source !== prev.source) rememberTab();
    if (applying) return;
    if (
      st.summary === prev.summary &&
      st.step === prev.step &&
      st.loadedText === prev.loadedText &&
      st.selectedSkb === prev.selectedSkb &&
      st.selectedPanel === prev.selectedPanel &&
      st.theme === prev.theme &&
      st.playing === prev.playing
    ) {
      return;
    }
    scheduleWrite(st.playing);
  });
  const onHashChange = (e: HashChangeEvent) => {
    // The fragment the reader navigated to (the app may have rewritten location.hash since).
    let url: URL;
    try {
      url = new URL(e.newURL);
    } catch {
      return;
    }
    if (writer?.isOwnHash(url.hash)) return;
    useShare.setState({ hash: url.hash });
    void openLink(url.hash, url.href);
  };
  window.addEventListener('hashchange', onHashChange);
  return () => {
    unsub();
    window.removeEventListener('hashchange', onHashChange);
    if (writeTimer !== null) clearTimeout(writeTimer);
    writeTimer = null;
    cancelPaintedWrite?.();
    cancelPaintedWrite = null;
    writer?.dispose();
    writer = null;
  };
}

/** Another tab saved a scenario: last write wins, and this tab is told (the `storage` event). */
function installStorageSync(): () => void {
  const onStorage = (e: StorageEvent) => {
    let ours = false;
    try {
      ours = e.storageArea === window.localStorage;
    } catch {
      /* storage disabled */
    }
    if (ours) useExplorer.getState().storageChanged(e.key);
  };
  window.addEventListener('storage', onStorage);
  return () => window.removeEventListener('storage', onStorage);
}

/** In a frame: the postMessage bridge to the host page. Returns the uninstaller. */
function installBridge(): () => void {
  let inFrame: boolean;
  try {
    inFrame = window.parent !== window;
  } catch {
    inFrame = true;
  }
  if (!inFrame) return () => undefined;
  // A burst of goto messages (a host page scrolling, or hostile) is coalesced:
  // the latest step wins and is applied once the burst's tasks have run.
  let latestGoto: number | null = null;
  let gotoTimer: ReturnType<typeof setTimeout> | null = null;
  const applyGoto = () => {
    gotoTimer = null;
    const step = latestGoto;
    latestGoto = null;
    if (step === null) return;
    const s = useExplorer.getState();
    if (!useShare.getState().ready || !s.summary) pendingGoto = step;
    else s.goTo(appStep(s.summary, step));
  };
  const bridge = installHostBridge(window, {
    goto(step) {
      latestGoto = step;
      if (gotoTimer === null) gotoTimer = setTimeout(applyGoto, 0);
    },
    play() {
      if (!useShare.getState().ready) pendingPlay = true;
      else play();
    },
    pause() {
      pendingPlay = false;
      useExplorer.getState().setPlaying(false);
    },
  });
  const post = () => {
    if (!useShare.getState().ready) return;
    const s = useExplorer.getState();
    if (!s.summary) return;
    if (numbering !== SHARE_FORMAT) {
      // An older link counted fewer steps: report the latest of its steps reached, and its function.
      const step = linkStepOfAppStep(s.summary, numbering, s.step);
      const fn = stepFunction(s.summary, appStepOfLinkStep(s.summary, numbering, step));
      bridge.postStep(step, linkStepCount(s.summary, numbering), fn);
    } else {
      bridge.postStep(s.step, s.summary.total, stepFunction(s.summary, s.step));
    }
  };
  const unsubExplorer = useExplorer.subscribe((st, prev) => {
    if (st.step !== prev.step || st.summary !== prev.summary) post();
  });
  const unsubShare = useShare.subscribe((st, prev) => {
    if (st.ready && !prev.ready) post();
  });
  return () => {
    if (gotoTimer !== null) clearTimeout(gotoTimer);
    unsubExplorer();
    unsubShare();
    bridge.uninstall();
  };
}

/**
 * Starts the app: embed options, the link, the fragment writer and the host
 * bridge. Runs once (React's StrictMode mounts twice in development); returns
 * the uninstaller. `firstRun` is the run computed ahead that the first run may
 * show (see offerFirstRun).
 */
export function startApp(firstRun: Promise<FirstRun | null> | null = null): () => void {
  if (started) return () => undefined;
  started = true;
  if (firstRun) offerFirstRun(firstRun);
  const { warnings, ...options } = parseEmbedOptions(location.search);
  for (const w of warnings) console.warn(`skbwalk: ${w}`);
  const s = useExplorer.getState();
  useShare.setState({ options, embedPanel: options.panel });
  if (options.embed) {
    setStorageEnabled(false);
    s.selectPanel(storePanel(options.panel) ?? 'stack');
  }
  if (options.from !== null || options.to !== null) s.setRange({ from: options.from, to: options.to });
  if (options.speed !== DEFAULT_EMBED_OPTIONS.speed) s.setSpeed(10 * options.speed);
  if (options.theme) s.setTheme(options.theme);
  const uninstallHash = installHashSync();
  const uninstallBridge = installBridge();
  const uninstallStorage = options.embed ? () => undefined : installStorageSync();
  void openLink(location.hash, location.href, true).then(() => {
    if (options.autoplay && !reducedMotion()) play();
  });
  return () => {
    uninstallHash();
    uninstallBridge();
    uninstallStorage();
    started = false;
  };
}
