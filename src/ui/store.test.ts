// The store against a fake engine whose answers arrive out of order.
import { describe, expect, it, vi } from 'vitest';
import type { EngineClient, FindKind } from './engineClient.ts';
import type { LoadProgress, RunSummary } from '../engine/worker/protocol.ts';
import { packLineList } from '../engine/worker/lines.ts';
import { packCommands, packScriptErrors } from '../engine/worker/commands.ts';
import type { RunExports } from '../engine/output/exports.ts';
import type { StepView } from '../engine/run/view.ts';
import { offerFirstRun, setClientFactory, useExplorer } from './store.ts';
import { firstViewShown } from './afterFirstView.ts';
import { SCENARIOS, narrativeOf } from '../scenarios/index.ts';

const NO_LINES = packLineList([]);

/** Waits (however loaded the machine) until the view of `step` is on display. */
async function shown(step: number): Promise<void> {
  await vi.waitFor(() => expect(useExplorer.getState().view?.step).toBe(step), { timeout: 60_000, interval: 5 });
}

function fakeView(step: number): StepView {
  return {
    step,
    total: 10,
    kind: step > 0 ? 'entry' : null,
    returned: null,
    time: 0,
    ctx: null,
    cpu: 0,
    currentNet: 0,
    stack: [],
    explanation: `view ${step}`,
    skb: null,
    namespaces: [],
    cpus: [],
    skbs: [],
    skbViews: [],
    events: 0,
    terminal: 0,
    captures: [],
    changes: [],
    stepEvents: [],
  };
}

const summary: RunSummary = {
  total: 10,
  stoppedBy: null,
  notices: [],
  terminal: NO_LINES,
  terminalScriptLines: new Uint32Array(0),
  commands: packCommands([]),
  ping: NO_LINES,
  events: NO_LINES,
  captures: [],
  stepFn: new Uint16Array(10),
  stepDepth: new Uint16Array(10),
  stepKind: new Uint8Array(10),
  stepSince: new Uint8Array(10),
  functionNames: [],
  knownFunctions: ['f'],
  scriptErrors: packScriptErrors([]),
  title: '',
  notes: [],
  namespaceNames: [''],
  eventNetns: new Uint16Array(0),
  eventSkb: new Int32Array(0),
  eventKinds: [],
  eventKind: new Uint16Array(0),
  eventDevices: [],
  eventDevice: new Uint16Array(0),
  eventSkbs: new Int32Array(0),
  dropReasons: [],
  packetDevices: [],
};

class SlowClient implements EngineClient {
  /** Milliseconds each step's view takes. */
  constructor(
    private delay: (step: number) => number,
    private failLoad = false,
  ) {}
  load(_text?: string, _onProgress?: (p: LoadProgress) => void): Promise<RunSummary> {
    return this.failLoad ? Promise.reject(new Error('boom')) : Promise.resolve(summary);
  }
  view(step: number): Promise<StepView> {
    return new Promise((r) => setTimeout(() => r(fakeView(step)), this.delay(step)));
  }
  find(from: number, direction: 1 | -1, _kind: FindKind): Promise<number | null> {
    return new Promise((r) => setTimeout(() => r(from + direction * 3), 20));
  }
  exports(): Promise<RunExports> {
    return Promise.reject(new Error('no exports in this test'));
  }
  findQuery(from: number, direction: 1 | -1): Promise<number | null> {
    return new Promise((r) => setTimeout(() => r(from + direction * 2), 20));
  }
  resolve(anchors: unknown[]): Promise<(number | null)[]> {
    return Promise.resolve(anchors.map(() => null));
  }
  dispose(): void {}
}

/** Places a gallery scenario's notes at steps 2, 5, 8, … */
class NotesClient extends SlowClient {
  constructor() {
    super(() => 1);
  }
  override resolve(anchors: unknown[]): Promise<(number | null)[]> {
    return Promise.resolve(anchors.map((_, i) => 2 + 3 * i));
  }
}

/** Tells `loaded` each text it is asked to run. */
class LoadsTold extends SlowClient {
  constructor(private loaded: string[]) {
    super(() => 1);
  }
  override load(text: string): Promise<RunSummary> {
    this.loaded.push(text);
    return super.load(text);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('explorer store', () => {
  it('never lets a slow older view overwrite a newer one', async () => {
    setClientFactory(() => new SlowClient((s) => (s === 5 ? 80 : 5)));
    await useExplorer.getState().run();
    expect(useExplorer.getState().view?.step).toBe(0);
    useExplorer.getState().goTo(5);
    useExplorer.getState().goTo(6);
    await sleep(150);
    expect(useExplorer.getState().step).toBe(6);
    expect(useExplorer.getState().view?.step).toBe(6);
  });

  it('drops a search answer that arrives after a newer navigation', async () => {
    setClientFactory(() => new SlowClient(() => 1));
    await useExplorer.getState().run();
    const over = useExplorer.getState().stepOver(); // would land on 3
    useExplorer.getState().goTo(7);
    await over;
    await sleep(30);
    expect(useExplorer.getState().view?.step).toBe(7);
  });

  it('keeps the text and reports an engine error on a failed run', async () => {
    setClientFactory(() => new SlowClient(() => 1, true));
    useExplorer.getState().setText('frobnicate');
    await useExplorer.getState().run();
    expect(useExplorer.getState().error).toMatch(/boom/);
    expect(useExplorer.getState().text).toBe('frobnicate');
  });

  it('keeps navigation within an embed’s from/to range', async () => {
    setClientFactory(() => new SlowClient(() => 1));
    await useExplorer.getState().run();
    const a = useExplorer.getState();
    a.setRange({ from: 3, to: 6 });
    expect(a.bounds()).toEqual({ lo: 3, hi: 6 });
    a.goTo(0);
    expect(useExplorer.getState().step).toBe(3);
    a.goTo(100);
    expect(useExplorer.getState().step).toBe(6);
    a.stepInto();
    expect(useExplorer.getState().step).toBe(6);
    // Play at the end of the range starts again at its beginning.
    a.togglePlay();
    expect(useExplorer.getState()).toMatchObject({ step: 3, playing: true });
    a.restart();
    expect(useExplorer.getState()).toMatchObject({ step: 3, playing: false });
    // A range past the run's end is cut to the run.
    a.setRange({ from: 50, to: null });
    expect(a.bounds()).toEqual({ lo: 10, hi: 10 });
    a.setRange({ from: null, to: null });
    a.goTo(Number.NaN);
    expect(useExplorer.getState().step).toBe(3);
  });

  it('answers a search asked for during a load about the new run', async () => {
    setClientFactory(() => new SlowClient(() => 1));
    await useExplorer.getState().run();
    useExplorer.getState().goTo(5);
    const loading = useExplorer.getState().run();
    const over = useExplorer.getState().stepOver(); // from the new run's step 0: lands on 3
    await loading;
    await over;
    await sleep(30);
    expect(useExplorer.getState().step).toBe(3);
    expect(useExplorer.getState().notice).toBeNull();
  });

  it('shows the next step at once, in the same update as the step, once it has been asked for ahead', async () => {
    const asked: number[] = [];
    setClientFactory(() => {
      const c = new SlowClient(() => 5);
      const view = c.view.bind(c);
      c.view = (step: number) => {
        asked.push(step);
        return view(step);
      };
      return c;
    });
    await useExplorer.getState().run();
    await sleep(30);
    // Step 0's neighbour (step 1) was asked for while step 0 was on display.
    expect(asked).toEqual([0, 1]);
    const seen: [number, number | undefined][] = [];
    const unsub = useExplorer.subscribe((st) => seen.push([st.step, st.view?.step]));
    useExplorer.getState().stepInto();
    unsub();
    expect(seen).toEqual([[1, 1]]);
    await sleep(30);
    expect(asked).toEqual([0, 1, 2]);
    // Back to step 0 is still at hand; a step never asked for waits for the engine.
    useExplorer.getState().stepBack();
    expect(useExplorer.getState().view?.step).toBe(0);
    useExplorer.getState().goTo(8);
    expect(useExplorer.getState()).toMatchObject({ step: 8, view: { step: 0 } });
    await sleep(30);
    expect(useExplorer.getState().view?.step).toBe(8);
  });

  it('computes only the view in flight and the latest one when steps are asked for in a burst', async () => {
    const asked: number[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    class Counting extends SlowClient {
      override async view(step: number): Promise<StepView> {
        asked.push(step);
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        try {
          return await super.view(step);
        } finally {
          inFlight--;
        }
      }
    }
    setClientFactory(() => new Counting(() => 5));
    await useExplorer.getState().run();
    // Step 0's view, then step 1's asked ahead (still in flight).
    expect(asked).toEqual([0, 1]);
    asked.length = 0;
    for (let i = 0; i < 10000; i++) useExplorer.getState().goTo(i % 10);
    await sleep(60);
    // The burst's last step once the view in flight has arrived, then its neighbours ahead, one at a time.
    expect(asked).toEqual([9, 10, 8]);
    expect(mostInFlight).toBe(1);
    expect(useExplorer.getState().view?.step).toBe(9);
  });

  it('asks ahead only while no view is wanted: a step asked for goes before the neighbours not yet asked', async () => {
    const asked: number[] = [];
    class Counting extends SlowClient {
      override view(step: number): Promise<StepView> {
        asked.push(step);
        return super.view(step);
      }
    }
    setClientFactory(() => new Counting((step) => (step === 1 ? 30 : 5)));
    await useExplorer.getState().run();
    // Step 1 is being computed ahead; the reader jumps meanwhile, twice.
    useExplorer.getState().goTo(6);
    useExplorer.getState().goTo(7);
    await sleep(100);
    // Step 1's view was already in the worker's hands; no neighbour of 0 or 6 was asked before 7.
    expect(asked).toEqual([0, 1, 7, 8, 6]);
    expect(useExplorer.getState().view?.step).toBe(7);
  });

  it('keeps the run on display steppable while a run computes, and after it is cancelled', async () => {
    let disposed = 0;
    /** A run that never ends; dispose() fails it, as terminating the worker does. */
    class Never extends SlowClient {
      private fail: (e: Error) => void = () => undefined;
      override load(_text?: string, onProgress?: (p: LoadProgress) => void): Promise<RunSummary> {
        onProgress?.({ phase: 'simulating', calls: 1234, limit: 5_000_000 });
        return new Promise((_, reject) => (this.fail = reject));
      }
      override dispose(): void {
        disposed++;
        this.fail(new Error('the engine was restarted'));
      }
    }
    setClientFactory(() => new SlowClient(() => 1));
    await useExplorer.getState().run();
    const before = useExplorer.getState().summary;
    setClientFactory(() => new Never(() => 1));
    const running = useExplorer.getState().run();
    expect(useExplorer.getState()).toMatchObject({ loading: true, progress: { calls: 1234, limit: 5_000_000 } });
    useExplorer.getState().goTo(4);
    await sleep(20);
    expect(useExplorer.getState().view?.step).toBe(4);
    useExplorer.getState().cancelRun();
    expect(await running).toBe(false);
    expect(disposed).toBe(1);
    expect(useExplorer.getState()).toMatchObject({ loading: false, progress: null, cancelled: { calls: 1234 } });
    expect(useExplorer.getState().summary).toBe(before);
    useExplorer.getState().stepInto();
    await sleep(20);
    expect(useExplorer.getState().view?.step).toBe(5);
  });

  it('loads a text without saving it', () => {
    useExplorer.getState().loadText('ip link show\n');
    expect(useExplorer.getState().text).toBe('ip link show\n');
  });

  it('searches both ways: the previous drop, packet and breakpoint match are before the step', async () => {
    setClientFactory(() => new SlowClient(() => 1));
    await useExplorer.getState().run();
    const a = useExplorer.getState();
    a.goTo(5);
    await a.seekDrop(-1);
    expect(useExplorer.getState().step).toBe(3);
    await a.seekPacketOn('ns1/veth1', 1);
    expect(useExplorer.getState().step).toBe(5);
    await a.seekEvent(-1);
    expect(useExplorer.getState().step).toBe(2);
    a.setBreakKind('function');
    a.setBreakpoint('f');
    await a.runUntil(undefined, 1);
    expect(useExplorer.getState().step).toBe(5);
    await a.runUntil(undefined, -1);
    expect(useExplorer.getState().step).toBe(2);
  });

  it('a run started while a newly chosen example is on its way starts at step 0, like the example', async () => {
    setClientFactory(() => new SlowClient(() => 1));
    await useExplorer.getState().run();
    useExplorer.getState().goTo(7);
    await shown(7);
    const chosen = useExplorer.getState().show({ kind: 'example', id: SCENARIOS[1].id });
    // Run pressed before the example's run arrives: it replaces that run, which was to start at step 0.
    const again = useExplorer.getState().runNow();
    expect(await chosen).toBe(false);
    expect(await again).toBe(true);
    expect(useExplorer.getState()).toMatchObject({ step: 0, view: { step: 0 } });
    // A Run on its own keeps the step on display.
    useExplorer.getState().goTo(4);
    await shown(4);
    await useExplorer.getState().runNow();
    expect(useExplorer.getState()).toMatchObject({ step: 4, view: { step: 4 } });
  });

  it("pauses playback at each note's step, and plays on from there", async () => {
    setClientFactory(() => new NotesClient());
    const gallery = SCENARIOS[1];
    await useExplorer.getState().show({ kind: 'example', id: gallery.id });
    const a = useExplorer.getState();
    expect(useExplorer.getState().guide?.chapters.map((c) => c.step)).toEqual(
      (await narrativeOf(gallery.id))!.notes.map((_, i) => 2 + 3 * i),
    );
    a.setPlaying(true);
    a.playTick(true);
    expect(useExplorer.getState()).toMatchObject({ step: 1, playing: true });
    a.playTick(true);
    expect(useExplorer.getState()).toMatchObject({ step: 2, playing: false });
    a.setPlaying(true);
    a.playTick(true);
    a.playTick(true);
    expect(useExplorer.getState()).toMatchObject({ step: 4, playing: true });
    // Where no callout shows (an embed), playback goes through the notes.
    a.playTick(false);
    expect(useExplorer.getState()).toMatchObject({ step: 5, playing: true });
  });

  it('shows a run computed ahead at once; its engine starts once it is painted, and answers the steps taken meanwhile', async () => {
    const loaded: string[] = [];
    setClientFactory(() => new LoadsTold(loaded));
    const text = useExplorer.getState().text;
    const ahead = { ...summary, total: 10 };
    offerFirstRun(Promise.resolve({ text, summary: ahead, view: fakeView(0), anchors: [] }));
    expect(await useExplorer.getState().run()).toBe(true);
    expect(useExplorer.getState()).toMatchObject({ loading: false, step: 0, view: { step: 0 }, error: null });
    expect(useExplorer.getState().summary).toBe(ahead);
    // Nothing asked of an engine before the first view is painted.
    await sleep(30);
    expect(loaded).toEqual([]);
    useExplorer.getState().stepInto();
    const searched = useExplorer.getState().seekEvent(1);
    expect(useExplorer.getState()).toMatchObject({ step: 1, view: { step: 0 } });
    firstViewShown();
    await shown(1);
    await searched;
    // The search waited for the engine, and ran from step 1 (the fake finds 3 steps on).
    expect(useExplorer.getState().step).toBe(4);
    expect(loaded).toEqual([text]);
    // The run shown is still the one computed ahead.
    expect(useExplorer.getState().summary).toBe(ahead);
  });

  it('declines a run computed ahead of another text: the engine runs the text', async () => {
    const loaded: string[] = [];
    setClientFactory(() => new LoadsTold(loaded));
    const text = useExplorer.getState().text;
    offerFirstRun(Promise.resolve({ text: `${text}# other\n`, summary: { ...summary }, view: fakeView(3), anchors: [] }));
    expect(await useExplorer.getState().run()).toBe(true);
    expect(loaded).toEqual([text]);
    expect(useExplorer.getState().summary).toBe(summary);
    expect(useExplorer.getState().view?.step).toBe(0);
  });
});

describe('firstRunDecided (what the static first view waits for)', () => {
  /** A fresh store module, as a page starts with, whose engine never answers. */
  async function freshStore(): Promise<typeof import('./store.ts')> {
    vi.resetModules();
    const store = await import('./store.ts');
    store.setClientFactory(
      () => ({ load: () => new Promise<never>(() => undefined), dispose: () => undefined }) as unknown as EngineClient,
    );
    return store;
  }

  /** Whether `p` has settled by the time queued work has run. */
  async function settled(p: Promise<void>): Promise<boolean> {
    let done = false;
    void p.then(() => (done = true));
    await sleep(20);
    return done;
  }

  it('settles once the offered run is on display, not before', async () => {
    const store = await freshStore();
    const decided = store.firstRunDecided();
    const seen = decided.then(() => store.useExplorer.getState().summary);
    expect(await settled(decided)).toBe(false);
    const ahead = { ...summary, total: 10 };
    store.offerFirstRun(
      Promise.resolve({ text: store.useExplorer.getState().text, summary: ahead, view: fakeView(0), anchors: [] }),
    );
    void store.useExplorer.getState().run();
    expect(await seen).toBe(ahead);
  });

  it('settles when the offered run is of another text, or when there is none, while the engine still computes', async () => {
    for (const offer of [true, false]) {
      const store = await freshStore();
      const text = store.useExplorer.getState().text;
      if (offer) store.offerFirstRun(Promise.resolve({ text: `${text}# other\n`, summary, view: fakeView(0), anchors: [] }));
      void store.useExplorer.getState().run();
      expect(await settled(store.firstRunDecided())).toBe(true);
      expect(store.useExplorer.getState()).toMatchObject({ summary: null, loading: true });
    }
  });
});
