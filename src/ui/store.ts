// The explorer's state: the scenario, the engine's run summary, the step
// being looked at and its view. Views and searches are asked of the engine
// worker asynchronously; every answer is checked against a sequence number so
// a slow answer for an older request never overwrites a newer one.
import { create } from 'zustand';
import type { RunSummary } from '../engine/worker/protocol.ts';
import type { StepView } from '../engine/run/view.ts';
import { WorkerEngineClient, type EngineClient, type FindKind } from './engineClient.ts';
import { DEFAULT_SCENARIO } from '../scenarios/index.ts';

export type PanelId = 'topology' | 'stack' | 'skb' | 'events' | 'captures' | 'terminal';

const TEXT_KEY = 'skbwalk.scenario';

/** False in an embed: skbwalk then neither reads nor writes the reader's storage. */
let storageEnabled = true;
/** Turns localStorage use off (embeds) or on. */
export function setStorageEnabled(on: boolean): void {
  storageEnabled = on;
}

function savedText(): string {
  if (!storageEnabled) return DEFAULT_SCENARIO;
  try {
    const t = globalThis.localStorage?.getItem(TEXT_KEY);
    if (t && t.trim()) return t;
  } catch {
    /* storage unavailable: fall back to the default */
  }
  return DEFAULT_SCENARIO;
}

function saveText(t: string): void {
  if (!storageEnabled) return;
  try {
    globalThis.localStorage?.setItem(TEXT_KEY, t);
  } catch {
    /* storage unavailable or full: the text still lives in the store */
  }
}

export interface ExplorerState {
  /** The editor's text (never replaced by the app). */
  text: string;
  /** The text of the run on display. */
  loadedText: string | null;
  loading: boolean;
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
  /** The user's own text, kept when an example replaces it in the editor. */
  draft: string | null;
  /** Hovered byte range in the skb (for field <-> byte highlighting). */
  hover: { start: number; end: number; label: string } | null;
  /** The skb the reader picked in the topology (highlighted), if any. */
  selectedSkb: number | null;
  /** Colour theme; null follows the system setting. */
  theme: 'light' | 'dark' | null;
  /** Steps navigation and playback are limited to (embed from/to); null ends are the run's own. */
  range: { from: number | null; to: number | null };

  /** Puts text in the editor without saving it (a shared link must not overwrite the reader's saved scenario). */
  loadText(t: string): void;
  /** The lowest and highest step navigation may reach (the run clamped to `range`). */
  bounds(): { lo: number; hi: number };

  setText(t: string): void;
  /** Puts an example (or the saved draft) in the editor, keeping the user's own text as the draft. */
  pick(text: string, isExample: (t: string) => boolean): void;
  run(): Promise<void>;
  goTo(step: number): void;
  stepInto(): void;
  stepBack(): void;
  stepOver(): Promise<void>;
  stepOut(): Promise<void>;
  nextEvent(): Promise<void>;
  runUntil(name?: string): Promise<void>;
  restart(): void;
  togglePlay(): void;
  setPlaying(p: boolean): void;
  setSpeed(s: number): void;
  selectPanel(p: PanelId): void;
  setBreakpoint(b: string): void;
  setHover(h: ExplorerState['hover']): void;
  dismissNotice(): void;
  selectSkb(id: number | null): void;
  setTheme(t: 'light' | 'dark' | null): void;
  setRange(r: { from: number | null; to: number | null }): void;
}

let client: EngineClient | null = null;
let loadSeq = 0;
let viewSeq = 0;
/** Bumped by every navigation; a search whose answer arrives after a newer navigation is dropped. */
let navSeq = 0;
/** The run being loaded, if any: a search asked for meanwhile waits for it (it is about the new run). */
let loadInFlight: Promise<void> | null = null;

/** For tests and embedding: replaces the factory that makes the engine client. */
export let makeClient: () => EngineClient = () => new WorkerEngineClient();
export function setClientFactory(f: () => EngineClient): void {
  makeClient = f;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export const useExplorer = create<ExplorerState>()((set, get) => {
  const requestView = (step: number) => {
    const seq = ++viewSeq;
    const c = client;
    if (!c) return;
    c.view(step).then(
      (view) => {
        if (seq !== viewSeq || c !== client) return; // a newer view was asked for
        set({ view, error: null });
      },
      (err) => {
        if (seq !== viewSeq || c !== client) return;
        set({ error: `engine error at step ${step}: ${message(err)}`, playing: false });
      },
    );
  };

  const find = async (kind: FindKind, direction: 1 | -1, name?: string): Promise<number | null> => {
    if (loadInFlight) await loadInFlight;
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
    set({ step });
    requestView(step);
  };

  /** Loads the editor's text into a fresh engine and shows its step 0. */
  const load = async (): Promise<void> => {
    const text = get().text;
    const seq = ++loadSeq;
    viewSeq++;
    navSeq++;
    client?.dispose();
    let c: EngineClient;
    try {
      c = makeClient();
    } catch (err) {
      set({ error: `could not start the engine: ${message(err)}`, loading: false });
      return;
    }
    client = c;
    set({ loading: true, playing: false, error: null, notice: null, hover: null });
    try {
      const summary = await c.load(text);
      if (seq !== loadSeq) return;
      const view = await c.view(0);
      if (seq !== loadSeq) return;
      viewSeq++;
      set({ summary, view, step: 0, loadedText: text, loading: false, error: null, selectedSkb: null });
    } catch (err) {
      if (seq !== loadSeq) return;
      set({ loading: false, error: `the scenario could not be run: ${message(err)}` });
    }
  };

  return {
    text: savedText(),
    loadedText: null,
    loading: false,
    summary: null,
    step: 0,
    view: null,
    error: null,
    notice: null,
    playing: false,
    speed: 10,
    selectedPanel: 'stack',
    breakpoint: '',
    hover: null,
    draft: null,
    selectedSkb: null,
    theme: null,
    range: { from: null, to: null },

    loadText(t) {
      set({ text: t });
    },
    bounds,

    setText(t) {
      set({ text: t });
      saveText(t);
    },
    pick(text, isExample) {
      const cur = get().text;
      if (cur !== text && cur.trim() && !isExample(cur)) set({ draft: cur });
      set({ text });
      saveText(text);
    },

    run() {
      const p = load();
      loadInFlight = p;
      void p.finally(() => {
        if (loadInFlight === p) loadInFlight = null;
      });
      return p;
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
    async nextEvent() {
      const s = await find('event', 1);
      if (s !== null) goTo(s);
      else set({ notice: 'No more tracepoint events.' });
    },
    async runUntil(name) {
      const fn = (name ?? get().breakpoint).trim();
      if (!fn) return;
      const s = await find('function', 1, fn);
      if (s !== null) {
        goTo(s);
        set({ notice: null });
      } else {
        const known = get().summary?.knownFunctions.includes(fn);
        set({ notice: known ? `${fn} is not called after this step.` : `${fn} is not a kernel function skbwalk models.` });
      }
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
      set({ selectedSkb: id });
    },
    setTheme(t) {
      set({ theme: t });
    },
    setRange(r) {
      set({ range: r });
    },
  };
});
