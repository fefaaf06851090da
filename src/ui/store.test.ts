// The store against a fake engine whose answers arrive out of order.
import { describe, expect, it } from 'vitest';
import type { EngineClient, FindKind } from './engineClient.ts';
import type { RunSummary } from '../engine/worker/protocol.ts';
import type { RunExports } from '../engine/output/exports.ts';
import type { StepView } from '../engine/run/view.ts';
import { setClientFactory, useExplorer } from './store.ts';
import { SCENARIOS } from '../scenarios/index.ts';

function fakeView(step: number): StepView {
  return {
    step,
    total: 10,
    kind: step > 0 ? 'entry' : null,
    returned: null,
    time: 0,
    ctx: null,
    cpu: 0,
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
  terminal: [],
  terminalScriptLines: [],
  commands: [],
  ping: [],
  events: [],
  captures: [],
  stepFn: new Uint16Array(10),
  stepDepth: new Uint16Array(10),
  stepKind: new Uint8Array(10),
  functionNames: [],
  knownFunctions: ['f'],
  scriptErrors: [],
  title: '',
  notes: [],
  namespaceNames: [''],
  eventNetns: new Uint16Array(0),
  eventSkb: new Int32Array(0),
  dropReasons: [],
  packetDevices: [],
};

class SlowClient implements EngineClient {
  /** Milliseconds each step's view takes. */
  constructor(
    private delay: (step: number) => number,
    private failLoad = false,
  ) {}
  load(): Promise<RunSummary> {
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

  it("pauses playback at each note's step, and plays on from there", async () => {
    setClientFactory(() => new NotesClient());
    const gallery = SCENARIOS[1];
    await useExplorer.getState().show({ kind: 'example', id: gallery.id });
    const a = useExplorer.getState();
    expect(useExplorer.getState().guide?.chapters.map((c) => c.step)).toEqual(gallery.narrative.notes.map((_, i) => 2 + 3 * i));
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
});
