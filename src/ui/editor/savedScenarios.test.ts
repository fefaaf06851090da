// The user's own scenario is never lost: the store against fake storages.
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../../engine/worker/protocol.ts';
import { packLineList } from '../../engine/worker/lines.ts';
import { packCommands, packScriptErrors } from '../../engine/worker/commands.ts';
import type { StepView } from '../../engine/run/view.ts';
import type { RunExports } from '../../engine/output/exports.ts';
import type { EngineClient } from '../engineClient.ts';
import { copyTitle, editTarget, parseCopies, readOwn, type KeyValueStorage } from './savedScenarios.ts';

const NO_LINES = packLineList([]);

class MemoryStorage implements KeyValueStorage {
  map = new Map<string, string>();
  refuse = false;
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    if (this.refuse) throw new Error('QuotaExceededError');
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

const local = new MemoryStorage();
const session = new MemoryStorage();
const MINE = '# mine\nip link show\n';
local.setItem('skbwalk.scenario', MINE);

function summaryOf(total: number): RunSummary {
  return {
    total,
    stoppedBy: null,
    notices: [],
    terminal: NO_LINES,
    terminalScriptLines: new Uint32Array(0),
    commands: packCommands([]),
    ping: NO_LINES,
    events: NO_LINES,
    captures: [],
    stepFn: new Uint16Array(total),
    stepDepth: new Uint16Array(total),
    stepKind: new Uint8Array(total),
    stepSince: new Uint8Array(total),
    functionNames: [],
    knownFunctions: [],
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
}

/** An engine whose run of a text has as many steps as the text has characters. */
class LengthClient implements EngineClient {
  static loads: string[] = [];
  load(text: string): Promise<RunSummary> {
    LengthClient.loads.push(text);
    return Promise.resolve(summaryOf(text.length));
  }
  view(step: number): Promise<StepView> {
    return Promise.resolve({ step } as StepView);
  }
  find(): Promise<number | null> {
    return Promise.resolve(null);
  }
  exports(): Promise<RunExports> {
    return Promise.reject(new Error('no exports in this test'));
  }
  findQuery(): Promise<number | null> {
    return Promise.resolve(null);
  }
  resolve(anchors: unknown[]): Promise<(number | null)[]> {
    return Promise.resolve(anchors.map(() => null));
  }
  dispose(): void {}
}

let store: typeof import('../store.ts');
let SCENARIOS: typeof import('../../scenarios/index.ts').SCENARIOS;

beforeAll(async () => {
  vi.stubGlobal('localStorage', local);
  vi.stubGlobal('sessionStorage', session);
  store = await import('../store.ts');
  SCENARIOS = (await import('../../scenarios/index.ts')).SCENARIOS;
  store.setClientFactory(() => new LengthClient());
});

beforeEach(() => {
  vi.useRealTimers();
});

const state = () => store.useExplorer.getState();

describe('saved scenarios', () => {
  it('opens on "Your scenario" when there is one', () => {
    expect(state().text).toBe(MINE);
    expect(state().source).toEqual({ kind: 'own' });
    expect(state().own).toBe(MINE);
  });

  it('showing an example or a link saves nothing', async () => {
    await state().show({ kind: 'example', id: SCENARIOS[1].id });
    expect(state().text).toBe(SCENARIOS[1].text);
    state().loadText('ip route\n');
    expect(state().linkText).toBe('ip route\n');
    expect(local.getItem('skbwalk.scenario')).toBe(MINE);
    expect(local.getItem('skbwalk.copies')).toBeNull();
  });

  it('an edit of a link becomes a copy of its own; "Your scenario" is kept', async () => {
    vi.useFakeTimers();
    state().loadText('ip route\n');
    state().setText('ip route\nip addr\n');
    expect(state().source.kind).toBe('copy');
    expect(state().copies.map((c) => [c.title, c.text])).toEqual([['Shared link (edited)', 'ip route\nip addr\n']]);
    expect(local.getItem('skbwalk.scenario')).toBe(MINE);
    // The run follows a moment after typing stops, once.
    LengthClient.loads = [];
    state().setText('ip route\nip addr\nip link\n');
    vi.advanceTimersByTime(store.REBUILD_DELAY_MS - 1);
    expect(LengthClient.loads).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(LengthClient.loads).toEqual(['ip route\nip addr\nip link\n']);
    // Further edits of the copy stay in the copy.
    state().setText('ip route\nip addr\nip link\nip neigh\n');
    expect(state().copies).toHaveLength(1);
    expect(parseCopies(local.getItem('skbwalk.copies'))[0].text).toBe('ip route\nip addr\nip link\nip neigh\n');
    vi.useRealTimers();
    await state().show({ kind: 'own' });
    expect(state().text).toBe(MINE);
  });

  it('keeps the step where the rebuilt run still has it', async () => {
    await state().show({ kind: 'own' });
    state().goTo(15);
    expect(state().step).toBe(15);
    state().setText(MINE + 'x');
    await state().runNow();
    expect(state().step).toBe(15);
    state().setText('short\n');
    await state().runNow();
    expect(state().step).toBe(6);
  });

  it('another tab writing "Your scenario" wins, and this tab is told', async () => {
    await state().show({ kind: 'own' });
    state().setText(MINE);
    local.setItem('skbwalk.scenario', '# from the other tab\n');
    state().storageChanged('skbwalk.scenario');
    expect(state().otherTab).toBe('# from the other tab\n');
    expect(state().text).toBe(MINE); // still on screen until the reader chooses
    state().adoptOtherTab();
    expect(state().text).toBe('# from the other tab\n');
    expect(state().otherTab).toBeNull();
  });

  it('a refused save says so and keeps the text in the page', () => {
    local.refuse = true;
    state().setText('ip link add a type bridge\n');
    expect(state().saveError).toMatch(/refused to save/);
    expect(state().text).toBe('ip link add a type bridge\n');
    local.refuse = false;
    state().setText('ip link add b type bridge\n');
    expect(state().saveError).toBeNull();
    expect(local.getItem('skbwalk.scenario')).toBe('ip link add b type bridge\n');
  });

  it('reads old saves of an example as no scenario of the user’s, and names copies uniquely', () => {
    const ex = (t: string) => t === 'EXAMPLE';
    const st = new MemoryStorage();
    st.setItem('skbwalk.scenario', 'EXAMPLE');
    expect(readOwn(st, ex)).toBeNull();
    st.setItem('skbwalk.scenario', '  \n');
    expect(readOwn(st, ex)).toBeNull();
    expect(editTarget({ kind: 'example', id: 'x' }, null)).toBe('own');
    expect(editTarget({ kind: 'example', id: 'x' }, 'mine')).toBe('new-copy');
    expect(editTarget({ kind: 'link' }, 'mine')).toBe('new-copy');
    expect(copyTitle('Bridge', [{ id: '1', title: 'Bridge (edited)', text: '' }])).toBe('Bridge (edited 2)');
    expect(parseCopies('{not json')).toEqual([]);
    expect(parseCopies('[{"id":1}]')).toEqual([]);
  });
});
