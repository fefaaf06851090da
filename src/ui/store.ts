// The explorer's state: the scenario, the engine's run summary, the step
// being looked at and its view. Views and searches are asked of the engine
// worker asynchronously; every answer is checked against a sequence number so
// a slow answer for an older request never overwrites a newer one.
//
// Two workers may live at once: the one holding the run on display, and the
// one computing the next run. The run on display stays steppable until the new
// one is ready (or the new one is cancelled: its worker is terminated and the
// run on display stays).
//
// The page's first run may come computed already (offerFirstRun: the build's
// run of the default scenario): it is shown at once, and a worker started once
// it is painted computes the same run and answers everything from then on.
import { create } from 'zustand';
import type { LoadProgress, RunSummary, StepQuery } from '../engine/worker/protocol.ts';
import type { StepView } from '../engine/run/view.ts';
import type { RunExports } from '../engine/output/exports.ts';
import { prewarmEngine, WorkerEngineClient, type EngineClient, type FindKind } from './engineClient.ts';
import { ViewCache } from './viewCache.ts';
import { shareEqual } from './shareEqual.ts';
import { afterFirstView } from './afterFirstView.ts';
import type { FirstRun } from '../engine/worker/firstRun.ts';
import { DEFAULT_SCENARIO, SCENARIOS, galleryEntry, narrativeOf, type ScenarioNarrative } from '../scenarios/index.ts';
import {
  copyTitle,
  editTarget,
  OWN_KEY,
  COPIES_KEY,
  readCopies,
  readOwn,
  readTab,
  writeCopy,
  writeOwn,
  type KeyValueStorage,
  type SavedCopy,
  type Source,
} from './editor/savedScenarios.ts';

export type PanelId = 'topology' | 'stack' | 'skb' | 'events' | 'captures' | 'terminal';

/** Quiet time after the last keystroke before the run is rebuilt. */
export const REBUILD_DELAY_MS = 600;

/** A note of a gallery scenario, placed at the step its anchor names in this run. */
export interface Chapter {
  title: string;
  text: string;
  /** null if the run has no such moment (the script was changed). */
  step: number | null;
}

/** The narrative of the gallery scenario on display. */
export interface Guide {
  id: string;
  title: string;
  summary: string;
  chapters: Chapter[];
}

/** What "Run until" stops at: a call of a function, a packet on a device, a drop with a reason. */
export type BreakKind = 'function' | 'device' | 'reason';

/** Which way a search runs: 1 forward (the next match), -1 backward (the previous one). */
export type Direction = 1 | -1;

/** "after this step" or "before this step", for the notices of a search that found nothing. */
function fromHere(direction: Direction): string {
  return direction === 1 ? 'after this step' : 'before this step';
}

/** A device as the UI names it: `veth0` in the host, `ns1/veth1` in a namespace. */
export function deviceKey(netns: string, dev: string): string {
  return netns ? `${netns}/${dev}` : dev;
}

function parseDeviceKey(key: string): { netns: string; dev: string } {
  const slash = key.lastIndexOf('/');
  return slash < 0 ? { netns: '', dev: key } : { netns: key.slice(0, slash), dev: key.slice(slash + 1) };
}

/** False in an embed: skbwalk then neither reads nor writes the reader's storage. */
let storageEnabled = true;
/** Turns localStorage use off (embeds) or on. */
export function setStorageEnabled(on: boolean): void {
  storageEnabled = on;
}

function local(): KeyValueStorage | null {
  if (!storageEnabled) return null;
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage disabled: the text lives only in the page
  }
}

/** This tab's own storage (survives a reload, not shared with other tabs). */
export function tabStorage(): KeyValueStorage | null {
  if (!storageEnabled) return null;
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

export const isExample = (t: string) => SCENARIOS.some((s) => s.text === t);

/** The text a source shows, or null when it has none (a deleted copy, an unknown example). */
function textOf(source: Source, st: Pick<ExplorerState, 'own' | 'copies' | 'linkText'>): string | null {
  switch (source.kind) {
    case 'own':
      return st.own;
    case 'copy':
      return st.copies.find((c) => c.id === source.id)?.text ?? null;
    case 'example':
      return SCENARIOS.find((s) => s.id === source.id)?.text ?? null;
    case 'link':
      return st.linkText;
  }
}

/** What the editor opens with (before any link): this tab's last source, else "Your scenario", else the default example. */
export function initialEditor(
  st: KeyValueStorage | null = local(),
  tabSt: KeyValueStorage | null = tabStorage(),
): Pick<ExplorerState, 'text' | 'source' | 'own' | 'copies'> {
  const own = readOwn(st, isExample);
  const copies = readCopies(st);
  const tab = readTab(tabSt);
  if (tab && tab.source.kind !== 'link') {
    const text = textOf(tab.source, { own, copies, linkText: null });
    if (text !== null) return { text, source: tab.source, own, copies };
  }
  if (own !== null) return { text: own, source: { kind: 'own' }, own, copies };
  return { text: DEFAULT_SCENARIO, source: { kind: 'example', id: SCENARIOS[0].id }, own, copies };
}

const TOUR_KEY = 'skbwalk.tour';

/** Whether the reader has finished or skipped the tour (an embed never shows it, so counts as seen). */
export function tourSeen(): boolean {
  if (!storageEnabled) return true;
  try {
    return globalThis.localStorage?.getItem(TOUR_KEY) === 'done';
  } catch {
    return false;
  }
}

function rememberTour(): void {
  if (!storageEnabled) return;
  try {
    globalThis.localStorage?.setItem(TOUR_KEY, 'done');
  } catch {
    /* storage unavailable: the tour may show again next visit */
  }
}

export interface ExplorerState {
  /** The editor's text (never replaced by the app). */
  text: string;
  /** The text of the run on display. */
  loadedText: string | null;
  loading: boolean;
  /** How far the run being computed has got (null until its worker first reports). */
  progress: LoadProgress | null;
  /** The last run was cancelled after this many kernel calls (cleared by the next run). */
  cancelled: { calls: number } | null;
  summary: RunSummary | null;
  /** The step asked for (navigation is relative to it). */
  step: number;
  /** The view on display (its own .step may lag `step` briefly). */
  view: StepView | null;
  error: string | null;
  notice: string | null;
  playing: boolean;
  /** Steps per second while playing. */
  speed: number;
  selectedPanel: PanelId;
  breakpoint: string;
  /** Where the editor's text comes from (what the menu shows as chosen). */
  source: Source;
  /** "Your scenario" as saved, or null when there is none. */
  own: string | null;
  /** Edited copies of examples and links. */
  copies: SavedCopy[];
  /** The scenario of the link this tab opened (listed as "Shared link"), if any. */
  linkText: string | null;
  /** Another tab saved over the text shown here: its text (the notice offers to load it). */
  otherTab: string | null;
  /** Set when storage refused the last save: the text then lives only in this page. */
  saveError: string | null;
  /** An edit is waiting for the rebuild. */
  rebuildPending: boolean;
  /** What the breakpoint names. */
  breakKind: BreakKind;
  /** The narrative and chapters of the gallery scenario on display, if it is one. */
  guide: Guide | null;
  /** Hovered byte range in the skb (for field <-> byte highlighting). */
  hover: { start: number; end: number; label: string } | null;
  /** The skb the reader picked in the topology (highlighted), if any. */
  selectedSkb: number | null;
  /** Colour theme; null follows the system setting. */
  theme: 'light' | 'dark' | null;
  /** Steps navigation and playback are limited to (embed from/to); null ends are the run's own. */
  range: { from: number | null; to: number | null };
  /** The guided tour's current stop, or null when it is closed. */
  tourStop: number | null;

  /** Shows a shared link's scenario without saving it (a link must not overwrite the reader's saved scenario). */
  loadText(t: string): void;
  /** Shows `source`'s text in the editor (without saving) and runs it from step 0. */
  show(source: Source): Promise<boolean>;
  /** Restores the source this tab showed before a reload (without running). */
  restoreSource(source: Source): boolean;
  /** Another tab changed a saved text (the `storage` event). */
  storageChanged(key: string | null): void;
  /** Loads the text another tab saved over this one. */
  adoptOtherTab(): void;
  /** Runs the editor's text now (Ctrl+Enter), keeping the step when it still exists. */
  runNow(): Promise<boolean>;
  /** The lowest and highest step navigation may reach (the run clamped to `range`). */
  bounds(): { lo: number; hi: number };

  /** The user's edit: saved where it belongs, and the run rebuilt a moment after typing stops. */
  setText(t: string): void;
  /**
   * Runs the editor's text from step 0 (or, with keepStep, at the step on
   * display where it still exists). True once that run is on display; false
   * when it failed, was cancelled or was replaced by a newer run.
   */
  run(opts?: { keepStep?: boolean }): Promise<boolean>;
  /** Stops the run being computed (its worker is terminated); the run on display stays. */
  cancelRun(): void;
  goTo(step: number): void;
  stepInto(): void;
  stepBack(): void;
  stepOver(): Promise<void>;
  stepOut(): Promise<void>;
  /** Jumps to the next (direction 1) or previous (-1) step that emitted a tracepoint event. */
  seekEvent(direction?: Direction): Promise<void>;
  /** Jumps to the next or previous entry of the breakpoint's function, packet on its device or drop with its reason. */
  runUntil(name?: string, direction?: Direction): Promise<void>;
  /** Jumps to the next or previous step that frees an skb with kfree_skb (a drop). */
  seekDrop(direction?: Direction): Promise<void>;
  /** Jumps to the next or previous step that queues or receives a packet on the device (`deviceKey` form). */
  seekPacketOn(device: string, direction?: Direction): Promise<void>;
  setBreakKind(k: BreakKind): void;
  restart(): void;
  togglePlay(): void;
  /** Playback's next step; with pauseAtNotes, playback pauses on reaching the step of a gallery note. */
  playTick(pauseAtNotes: boolean): void;
  setPlaying(p: boolean): void;
  setSpeed(s: number): void;
  selectPanel(p: PanelId): void;
  setBreakpoint(b: string): void;
  setHover(h: ExplorerState['hover']): void;
  dismissNotice(): void;
  selectSkb(id: number | null): void;
  setTheme(t: 'light' | 'dark' | null): void;
  setRange(r: { from: number | null; to: number | null }): void;
  /** Opens the tour at a stop (the help button, or a first visit). */
  openTour(stop?: number): void;
  setTourStop(stop: number): void;
  /** Closes the tour (skipped or finished) and remembers that it was seen. */
  closeTour(): void;
}

/** The engine holding the run on display. */
let client: EngineClient | null = null;
/** The views of the client's run, asked for or asked ahead (a new run, a new cache). */
let views = new ViewCache();
/** The engine computing the next run, until it is ready (then it becomes `client`) or cancelled. */
let computing: EngineClient | null = null;
/** The run computed ahead that the page offers its first run (main.tsx), until that run takes or declines it. */
let firstRunOffer: Promise<FirstRun | null> | null = null;
/** The engine computing the run on display after it was shown from a first run, until it becomes `client`. */
let adopting: EngineClient | null = null;
/** Settles once the run shown from a first run has its engine (or has been replaced): searches wait for it. */
let adopted: Promise<void> | null = null;
let loadSeq = 0;
let viewSeq = 0;
/** The view wanted next (the latest asked for); null when every wanted view has been asked of the engine. */
let wantedView: { step: number; skb: number | null } | null = null;
/**
 * The engine answering a view request now, asked for or asked ahead: at most
 * one view request per engine is in flight, so the worker never holds a queue
 * of views, and a view asked ahead delays one asked for by at most the one
 * neighbouring view it is computing.
 */
let viewBusy: EngineClient | null = null;
/** Bumped by every navigation; a search whose answer arrives after a newer navigation is dropped. */
let navSeq = 0;
/**
 * A run of a new text (an example chosen, a link opened) is on its way: a run
 * started before it arrives (Run pressed meanwhile) starts at step 0 as well,
 * not at the step of the run on display, which is of another text.
 */
let freshRunPending = false;
/** The run being loaded, if any: a search asked for meanwhile waits for it (it is about the new run). */
let loadInFlight: Promise<boolean> | null = null;
let rebuildTimer: ReturnType<typeof setTimeout> | null = null;
let copySeq = 0;

function cancelRebuild(): void {
  if (rebuildTimer !== null) clearTimeout(rebuildTimer);
  rebuildTimer = null;
}

/**
 * Offers the page's first run a run computed ahead: if the text it runs is
 * that run's, it is shown without waiting for the engine. Taken (or declined)
 * by the first run only.
 */
export function offerFirstRun(first: Promise<FirstRun | null>): void {
  firstRunOffer = first.catch(() => null);
}

let settleFirstRun: () => void = () => undefined;
const firstRunSettled = new Promise<void>((settle) => (settleFirstRun = settle));
/**
 * Settles once the page's first run has taken the offered run (and shown it),
 * or declined it, or found none to take (and asks the engine): the page's
 * static first view waits for it before the live app replaces it (mountApp.tsx).
 */
export function firstRunDecided(): Promise<void> {
  return firstRunSettled;
}

/** For tests and embedding: replaces the factory that makes the engine client. */
export let makeClient: () => EngineClient = () => new WorkerEngineClient();
export function setClientFactory(f: () => EngineClient): void {
  makeClient = f;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export const useExplorer = create<ExplorerState>()((set, get) => {
  /**
   * Asks for the view of `step`. Requests are coalesced: while the engine
   * computes one view, later requests only replace the wanted step, so a
   * timeline drag, a held key or a burst of embed messages computes the view
   * in flight and then the latest one, never a queue of stale ones.
   */
  const requestView = (step: number) => {
    wantedView = { step, skb: get().selectedSkb };
    viewSeq++;
    pumpView();
  };

  /**
   * Sends the client's engine its next view request, if it has none in flight:
   * the view wanted, else (the engine idle) one of the views next to the step
   * on display not yet asked for, so that stepping to it shows it at once.
   */
  /**
   * The view of `step` from `c`, sharing every part equal to the view on
   * display (see shareEqual): done as it arrives, before it is shown, so that
   * showing it redraws only what the step changed.
   */
  const viewOf = (c: EngineClient, step: number, skb: number | undefined): Promise<StepView> =>
    c.view(step, skb).then((v) => shareEqual(get().view, v));

  const pumpView = () => {
    const c = client;
    if (!c || viewBusy === c) return;
    const cache = views;
    const done = () => {
      if (viewBusy === c) viewBusy = null;
      if (c === client) pumpView();
    };
    if (wantedView) {
      const { step, skb } = wantedView;
      wantedView = null;
      viewBusy = c;
      const seq = viewSeq;
      const picked = skb ?? undefined;
      cache
        .fetch(step, picked, () => viewOf(c, step, picked))
        .then(
          (view) => {
            // Shown even when a newer step is wanted (a drag shows where it has got to), never after a newer run.
            if (c === client && seq <= viewSeq && (seq === viewSeq || wantedView !== null)) set({ view, error: null });
            done();
          },
          (err) => {
            if (c === client && seq === viewSeq) set({ error: `engine error at step ${step}: ${message(err)}`, playing: false });
            done();
          },
        );
      return;
    }
    const { step, selectedSkb, view } = get();
    // Ahead only of a step on display: while a view is still coming, its neighbours may not be wanted.
    if (view?.step !== step) return;
    const picked = selectedSkb ?? undefined;
    const { lo, hi } = bounds();
    const next = [step + 1, step - 1].find((n) => n >= lo && n <= hi && !cache.has(n, picked));
    if (next === undefined) return;
    viewBusy = c;
    // A failed view asked ahead is asked again (and reported) when the reader goes there.
    cache.fetch(next, picked, () => viewOf(c, next, picked)).then(done, done);
  };

  /**
   * A search asked for while a new run is computing is about that run if it is
   * a quick one (no progress reported yet): it waits for it. During a long run
   * it is about the run on display, which stays usable meanwhile.
   */
  const quickLoad = (): Promise<boolean> | null => (get().progress === null ? loadInFlight : null);

  const find = async (kind: FindKind, direction: 1 | -1, name?: string): Promise<number | null> => {
    const quick = quickLoad();
    if (quick) await quick;
    if (adopted) await adopted;
    const { summary, step } = get();
    const c = client;
    if (!summary || !c) return null;
    const nav = ++navSeq;
    try {
      const found = await c.find(step, direction, kind, name);
      if (nav !== navSeq || c !== client) return null;
      return found;
    } catch (err) {
      if (nav === navSeq && c === client) set({ error: `engine error: ${message(err)}` });
      return null;
    }
  };

  /** A search by query (run/search.ts), from the step on display. */
  const findBy = async (query: StepQuery, direction: 1 | -1 = 1): Promise<number | null> => {
    const quick = quickLoad();
    if (quick) await quick;
    if (adopted) await adopted;
    const { summary, step } = get();
    const c = client;
    if (!summary || !c) return null;
    const nav = ++navSeq;
    try {
      const found = await c.findQuery(step, direction, query);
      if (nav !== navSeq || c !== client) return null;
      return found;
    } catch (err) {
      if (nav === navSeq && c === client) set({ notice: message(err) });
      return null;
    }
  };

  const bounds = () => {
    const { summary, range } = get();
    const total = summary?.total ?? 0;
    const hi = Math.min(total, range.to ?? total);
    const lo = Math.min(hi, Math.max(0, range.from ?? 0));
    return { lo, hi };
  };

  const goTo = (s: number) => {
    const { summary } = get();
    if (!summary || !Number.isFinite(s)) return;
    const { lo, hi } = bounds();
    const step = Math.max(lo, Math.min(hi, Math.round(s)));
    navSeq++;
    // A view asked for ahead shows at once, in the same render as the step.
    const ready = views.get(step, get().selectedSkb ?? undefined);
    if (ready) {
      viewSeq++;
      wantedView = null;
      set({ step, view: ready, error: null });
      pumpView();
      return;
    }
    set({ step });
    requestView(step);
  };

  /**
   * A run of `text` replaces the one on display: from now on `c` answers for it
   * (null: a run computed ahead, whose engine is still on its way), and answers
   * still coming from the old engine are dropped.
   */
  const showRun = (
    c: EngineClient | null,
    runViews: ViewCache,
    text: string,
    summary: RunSummary,
    step: number,
    view: StepView,
    guide: Guide | null,
  ) => {
    freshRunPending = false;
    const old = client;
    client = c;
    views = runViews;
    computing = null;
    old?.dispose();
    adopting?.dispose();
    adopting = null;
    viewSeq++;
    navSeq++;
    wantedView = null;
    set({
      summary,
      view,
      step,
      loadedText: text,
      loading: false,
      progress: null,
      playing: false,
      error: null,
      selectedSkb: null,
      rebuildPending: false,
      guide,
    });
    pumpView();
  };

  /**
   * Once the run computed ahead is painted (and before the code the first view
   * did without is fetched), a worker computes the same run and
   * becomes its engine: views asked for meanwhile (a step taken at once) wait
   * for it, and so do searches (`adopted`).
   */
  const adopt = (summary: RunSummary, text: string) => {
    adopted = new Promise<void>((settle) => {
      afterFirstView(() => {
        // Another run replaced it before it was painted: that run has its own engine.
        if (get().summary !== summary) return settle();
        let c: EngineClient;
        try {
          c = makeClient();
        } catch (err) {
          set({ error: `could not start the engine: ${message(err)}` });
          return settle();
        }
        adopting = c;
        c.load(text)
          .then(
            () => {
              if (adopting !== c) return;
              adopting = null;
              client = c;
              pumpView();
            },
            (err: unknown) => {
              if (adopting !== c) return;
              adopting = null;
              c.dispose();
              set({ error: `the scenario could not be run: ${message(err)}`, playing: false });
            },
          )
          .finally(settle);
      });
    });
  };

  /** Runs the editor's text in a fresh engine; the run on display stays until the new one is ready. */
  const load = async (keepStep: boolean): Promise<boolean> => {
    cancelRebuild();
    const text = get().text;
    const seq = ++loadSeq;
    if (!keepStep) freshRunPending = true;
    else if (freshRunPending) keepStep = false;
    computing?.dispose();
    computing = null;
    // The new run's views; the run on display keeps its own until the new one replaces it.
    const runViews = new ViewCache();
    set({ loading: true, progress: null, cancelled: null, playing: false, error: null, notice: null, hover: null });
    // A gallery scenario's narrative is fetched while the run computes; without it the run still shows, unguided.
    const entry = galleryEntry(text);
    const narrative = entry
      ? narrativeOf(entry.id).catch((err: unknown) => {
          console.warn(`skbwalk: could not load the narrative of ${entry.id}: ${message(err)}`);
          return undefined;
        })
      : Promise.resolve(undefined);
    const guideOf = (n: ScenarioNarrative | undefined, anchored: (number | null)[]): Guide | null =>
      entry && n
        ? {
            id: entry.id,
            title: entry.title,
            summary: n.summary,
            chapters: n.notes.map((note, i) => ({ title: note.title, text: note.text, step: anchored[i] ?? null })),
          }
        : null;
    const offer = firstRunOffer;
    firstRunOffer = null;
    try {
      if (offer && !keepStep) {
        const first = await offer;
        if (seq !== loadSeq) return false;
        if (first && first.text === text) {
          const n = await narrative;
          if (seq !== loadSeq) return false;
          void runViews.fetch(0, undefined, () => Promise.resolve(first.view));
          showRun(null, runViews, text, first.summary, 0, first.view, guideOf(n, first.anchors));
          adopt(first.summary, text);
          return true;
        }
      }
    } finally {
      // Shown, declined, or no run computed ahead to offer: from here this run is the engine's.
      settleFirstRun();
    }
    let c: EngineClient;
    try {
      c = makeClient();
    } catch (err) {
      freshRunPending = false;
      set({ error: `could not start the engine: ${message(err)}`, loading: false, progress: null });
      return false;
    }
    computing = c;
    try {
      const summary = await c.load(text, (progress) => {
        if (seq === loadSeq) set({ progress });
      });
      if (seq !== loadSeq) return false;
      // A rebuild after an edit stays at the step on display where the new run still has it.
      const step = keepStep ? Math.max(0, Math.min(get().step, summary.total)) : 0;
      const [view, told] = await Promise.all([
        runViews.fetch(step, undefined, () => c.view(step)),
        narrative.then(async (n) => (n ? { n, anchored: await c.resolve(n.notes.map((note) => note.at)) } : null)),
      ]);
      if (seq !== loadSeq) return false;
      showRun(c, runViews, text, summary, step, view, told ? guideOf(told.n, told.anchored) : null);
      return true;
    } catch (err) {
      if (seq !== loadSeq) return false;
      freshRunPending = false;
      if (computing === c) computing = null;
      c.dispose();
      set({
        loading: false,
        progress: null,
        rebuildPending: false,
        error: `the scenario could not be run: ${message(err)}`,
      });
      return false;
    }
  };

  const startRun = (keepStep: boolean): Promise<boolean> => {
    const p = load(keepStep);
    loadInFlight = p;
    void p.finally(() => {
      if (loadInFlight === p) loadInFlight = null;
    });
    return p;
  };

  /** Saves the edited text where it belongs (see editTarget); returns the source it now has. */
  const save = (t: string): Partial<ExplorerState> => {
    const { source, own, copies } = get();
    const st = local();
    const refused = 'this browser refused to save the scenario (storage full or disabled): it lives only in this page';
    const target = editTarget(source, own);
    if (target === 'own') {
      const ok = writeOwn(st, t);
      return { own: t, source: { kind: 'own' }, saveError: ok || !storageEnabled ? null : refused };
    }
    const base =
      source.kind === 'copy'
        ? (copies.find((c) => c.id === source.id)?.title ?? 'Edited scenario')
        : source.kind === 'example'
          ? (SCENARIOS.find((s) => s.id === source.id)?.title ?? 'Example')
          : 'Shared link';
    const copy: SavedCopy =
      source.kind === 'copy'
        ? { id: source.id, title: base, text: t }
        : { id: `${Date.now().toString(36)}-${++copySeq}`, title: copyTitle(base, copies), text: t };
    const r = writeCopy(st, copy);
    const list = st ? r.copies : [...copies.filter((c) => c.id !== copy.id), copy];
    return { copies: list, source: { kind: 'copy', id: copy.id }, saveError: r.ok || !storageEnabled ? null : refused };
  };

  return {
    ...initialEditor(),
    linkText: null,
    otherTab: null,
    saveError: null,
    rebuildPending: false,
    loadedText: null,
    loading: false,
    progress: null,
    cancelled: null,
    summary: null,
    step: 0,
    view: null,
    error: null,
    notice: null,
    playing: false,
    speed: 10,
    selectedPanel: 'stack',
    breakpoint: '',
    breakKind: 'function',
    guide: null,
    hover: null,
    selectedSkb: null,
    theme: null,
    range: { from: null, to: null },
    tourStop: null,

    loadText(t) {
      cancelRebuild();
      set({ text: t, source: { kind: 'link' }, linkText: t, rebuildPending: false });
    },
    bounds,

    setText(t) {
      if (t === get().text) return;
      set({ text: t, ...save(t), otherTab: null, rebuildPending: true });
      cancelRebuild();
      rebuildTimer = setTimeout(() => {
        rebuildTimer = null;
        void startRun(true);
      }, REBUILD_DELAY_MS);
    },
    show(source) {
      const text = textOf(source, get());
      if (text === null) return Promise.resolve(false);
      cancelRebuild();
      set({ text, source, otherTab: null, rebuildPending: false });
      return startRun(false);
    },
    restoreSource(source) {
      const text = textOf(source, get());
      if (text === null) return false;
      set({ text, source });
      return true;
    },
    storageChanged(key) {
      const st = local();
      if (!st) return;
      const { source, text } = get();
      if (key === null || key === OWN_KEY) {
        const own = readOwn(st, isExample);
        set({ own });
        if (source.kind === 'own' && own !== null && own !== text) set({ otherTab: own });
      }
      if (key === null || key === COPIES_KEY) {
        const copies = readCopies(st);
        set({ copies });
        if (source.kind === 'copy') {
          const mine = copies.find((c) => c.id === source.id);
          if (mine && mine.text !== text) set({ otherTab: mine.text });
        }
      }
    },
    adoptOtherTab() {
      const { otherTab } = get();
      if (otherTab === null) return;
      set({ text: otherTab, otherTab: null });
      void startRun(true);
    },
    runNow() {
      return startRun(true);
    },

    run(opts) {
      return startRun(opts?.keepStep ?? false);
    },
    cancelRun() {
      const c = computing;
      if (!c) return;
      const calls = get().progress?.calls ?? 0;
      computing = null;
      loadSeq++;
      freshRunPending = false;
      c.dispose();
      // The next run starts in a fresh worker, warmed up now.
      prewarmEngine();
      set({ loading: false, progress: null, rebuildPending: false, cancelled: { calls } });
    },
    goTo,
    stepInto() {
      goTo(get().step + 1);
    },
    stepBack() {
      goTo(get().step - 1);
    },
    async stepOver() {
      const s = await find('over', 1);
      if (s !== null) goTo(s);
      else set({ notice: 'No later call at this depth.' });
    },
    async stepOut() {
      const s = await find('out', 1);
      if (s !== null) goTo(s);
      else set({ notice: 'No caller to return to after this step.' });
    },
    async seekEvent(direction = 1) {
      const s = await find('event', direction);
      if (s !== null) goTo(s);
      else set({ notice: direction === 1 ? 'No more tracepoint events.' : 'No tracepoint event before this step.' });
    },
    async runUntil(name, direction = 1) {
      const fn = (name ?? get().breakpoint).trim();
      if (!fn) return;
      const kind = get().breakKind;
      const here = fromHere(direction);
      if (kind === 'device') {
        const s = await findBy({ event: 'packet', ...parseDeviceKey(fn) }, direction);
        if (s !== null) {
          goTo(s);
          set({ notice: null });
          return;
        }
        const known = get().summary?.packetDevices.some((d) => deviceKey(d.netns, d.dev) === fn);
        set({ notice: known ? `No packet on ${fn} ${here}.` : `No packet passes a device ${fn} in this run.` });
        return;
      }
      if (kind === 'reason') {
        const s = await findBy({ reason: fn }, direction);
        if (s !== null) {
          goTo(s);
          set({ notice: null });
          return;
        }
        const known = get().summary?.dropReasons.includes(fn);
        set({
          notice: known ? `No drop with reason ${fn} ${here}.` : `No packet is dropped with reason ${fn} in this run.`,
        });
        return;
      }
      const s = await find('function', direction, fn);
      if (s !== null) {
        goTo(s);
        set({ notice: null });
      } else {
        const known = get().summary?.knownFunctions.includes(fn);
        set({ notice: known ? `${fn} is not called ${here}.` : `${fn} is not a kernel function skbwalk models.` });
      }
    },
    async seekDrop(direction = 1) {
      const s = await findBy({ event: 'kfree_skb' }, direction);
      if (s !== null) goTo(s);
      else set({ notice: `No drop (kfree_skb) ${fromHere(direction)}.` });
    },
    async seekPacketOn(device, direction = 1) {
      const s = await findBy({ event: 'packet', ...parseDeviceKey(device) }, direction);
      if (s !== null) goTo(s);
      else set({ notice: `No packet on ${device} ${fromHere(direction)}.` });
    },
    setBreakKind(k) {
      set({ breakKind: k });
    },
    restart() {
      set({ playing: false });
      goTo(bounds().lo);
    },
    togglePlay() {
      const { playing, summary, step } = get();
      if (!playing && summary && step >= bounds().hi) goTo(bounds().lo);
      set({ playing: !playing });
    },
    playTick(pauseAtNotes) {
      goTo(get().step + 1);
      const { step, guide } = get();
      // The reader gets time to read a note: playback stops where its callout is at its own step.
      if (pauseAtNotes && guide?.chapters.some((c) => c.step === step)) set({ playing: false });
    },
    setPlaying(p) {
      set({ playing: p });
    },
    setSpeed(s) {
      set({ speed: s });
    },
    selectPanel(p) {
      set({ selectedPanel: p });
    },
    setBreakpoint(b) {
      set({ breakpoint: b });
    },
    setHover(h) {
      set({ hover: h });
    },
    dismissNotice() {
      set({ notice: null });
    },
    selectSkb(id) {
      if (get().selectedSkb === id) return;
      set({ selectedSkb: id });
      // The skb panel shows the picked skb: ask for the view that carries it.
      if (get().summary) requestView(get().step);
    },
    setTheme(t) {
      set({ theme: t });
    },
    setRange(r) {
      set({ range: r });
    },
    openTour(stop = 0) {
      set({ tourStop: stop, playing: false });
    },
    setTourStop(stop) {
      set({ tourStop: stop });
    },
    closeTour() {
      set({ tourStop: null });
      rememberTour();
    },
  };
});

/** The downloadable files of the run on display (asked of its engine). */
export async function fetchRunExports(): Promise<RunExports> {
  if (adopted) await adopted;
  if (!client || !useExplorer.getState().summary) throw new Error('no scenario has run yet');
  return client.exports();
}
