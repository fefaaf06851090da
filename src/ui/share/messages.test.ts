import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { installHostBridge, parseInbound, stepMessage, type BridgeWindow, type ParentWindow } from './messages.ts';

describe('parseInbound', () => {
  it('accepts the three messages and returns fresh objects', () => {
    const goto = { type: 'skbwalk:goto', step: 42 };
    const parsed = parseInbound(goto);
    expect(parsed).toEqual({ type: 'skbwalk:goto', step: 42 });
    expect(parsed).not.toBe(goto);
    expect(parseInbound({ type: 'skbwalk:goto', step: 0 })).toEqual({ type: 'skbwalk:goto', step: 0 });
    expect(parseInbound({ type: 'skbwalk:play' })).toEqual({ type: 'skbwalk:play' });
    expect(parseInbound({ type: 'skbwalk:pause' })).toEqual({ type: 'skbwalk:pause' });
  });

  it('ignores extra ordinary fields (not copied)', () => {
    expect(parseInbound({ type: 'skbwalk:play', id: 7, step: 'x' })).toEqual({ type: 'skbwalk:play' });
  });

  it('accepts objects with a null prototype', () => {
    const o = Object.assign(Object.create(null) as object, { type: 'skbwalk:goto', step: 3 });
    expect(parseInbound(o)).toEqual({ type: 'skbwalk:goto', step: 3 });
  });

  it('rejects everything else', () => {
    class Msg {
      type = 'skbwalk:play';
    }
    const getter = Object.defineProperty({ type: 'skbwalk:goto' }, 'step', { get: () => 1, enumerable: true });
    const rejected: unknown[] = [
      null,
      undefined,
      'skbwalk:play',
      '{"type":"skbwalk:play"}',
      42,
      ['skbwalk:play'],
      new Msg(),
      new Date(),
      Object.create({ type: 'skbwalk:play' }), // inherited type
      getter,
      { type: 'skbwalk:GOTO', step: 1 },
      { type: 'skbwalk:stop' },
      { type: 'skbwalk:step', step: 1, total: 2, function: 'x' }, // our own outbound message
      { type: 'skbwalk:goto' },
      { type: 'skbwalk:goto', step: -1 },
      { type: 'skbwalk:goto', step: 1.5 },
      { type: 'skbwalk:goto', step: '3' },
      { type: 'skbwalk:goto', step: Number.NaN },
      { type: 'skbwalk:goto', step: Infinity },
      { type: 'skbwalk:goto', step: 2 ** 53 },
      { type: 'skbwalk:goto', step: 20_000_001 },
      { type: 'skbwalk:goto', step: 1n },
      { type: { toString: () => 'skbwalk:play' } },
      JSON.parse('{"type":"skbwalk:play","__proto__":{"polluted":true}}'),
      { type: 'skbwalk:play', constructor: { prototype: { polluted: true } } },
      { type: 'skbwalk:play', prototype: {} },
    ];
    for (const [i, d] of rejected.entries()) expect(parseInbound(d), `case ${i}`).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never throws (property)', () => {
    fc.assert(
      fc.property(
        fc.anything({ withNullPrototype: true, withObjectString: true, withBigInt: true, withMap: true, withSet: true }),
        (d) => {
          const r = parseInbound(d);
          if (r) expect(['skbwalk:goto', 'skbwalk:play', 'skbwalk:pause']).toContain(r.type);
        },
      ),
    );
  });
});

describe('stepMessage', () => {
  it('builds the outbound message', () => {
    expect(stepMessage(36, 239, 'veth_xmit')).toEqual({ type: 'skbwalk:step', step: 36, total: 239, function: 'veth_xmit' });
    expect(stepMessage(0, 239, null)).toEqual({ type: 'skbwalk:step', step: 0, total: 239, function: null });
    expect(stepMessage(Number.NaN, -5, '')).toEqual({ type: 'skbwalk:step', step: 0, total: 0, function: null });
    expect(stepMessage(1, 1, 'f'.repeat(500)).function).toHaveLength(128);
  });
  it('round-trips through JSON (structured-clone safe)', () => {
    const m = stepMessage(5, 9, 'ip_rcv');
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });
});

function fakeWindow() {
  const listeners = new Set<(e: MessageEvent) => void>();
  const win: BridgeWindow = {
    addEventListener: (_t, l) => listeners.add(l),
    removeEventListener: (_t, l) => listeners.delete(l),
  };
  const deliver = (data: unknown, source: unknown) => {
    for (const l of listeners) l({ data, source, origin: 'https://anywhere.example' } as unknown as MessageEvent);
  };
  return { win, listeners, deliver };
}

function fakeParent() {
  const posted: [unknown, string][] = [];
  const parent: ParentWindow = { postMessage: (m, o) => void posted.push([m, o]) };
  return { parent, posted };
}

describe('installHostBridge', () => {
  const handlers = () => ({ goto: vi.fn(), play: vi.fn(), pause: vi.fn() });

  it('runs the handlers for valid messages from the parent only', () => {
    const { win, deliver } = fakeWindow();
    const { parent } = fakeParent();
    const other = fakeParent().parent;
    const h = handlers();
    installHostBridge(win, h, () => parent);
    deliver({ type: 'skbwalk:goto', step: 36 }, parent);
    deliver({ type: 'skbwalk:play' }, parent);
    deliver({ type: 'skbwalk:pause' }, parent);
    deliver({ type: 'skbwalk:goto', step: 99 }, other); // a sibling frame
    deliver({ type: 'skbwalk:goto', step: 98 }, null); // e.g. a worker or extension
    deliver({ type: 'skbwalk:goto', step: 97 }, win); // the app itself
    deliver({ type: 'skbwalk:goto', step: -1 }, parent); // invalid
    deliver('skbwalk:play', parent);
    expect(h.goto.mock.calls).toEqual([[36]]);
    expect(h.play).toHaveBeenCalledTimes(1);
    expect(h.pause).toHaveBeenCalledTimes(1);
  });

  it('accepts nothing and posts nothing when not embedded (parent is the window itself)', () => {
    const { win, deliver } = fakeWindow();
    const self = Object.assign(win, { postMessage: vi.fn() });
    const h = handlers();
    const bridge = installHostBridge(self, h, () => self);
    deliver({ type: 'skbwalk:play' }, self);
    bridge.postStep(1, 2, 'f');
    expect(h.play).not.toHaveBeenCalled();
    expect(self.postMessage).not.toHaveBeenCalled();
    const none = installHostBridge(fakeWindow().win, h, () => null);
    none.postStep(1, 2, 'f'); // no throw
  });

  it('uses win.parent by default', () => {
    const { win, deliver } = fakeWindow();
    const { parent, posted } = fakeParent();
    const h = handlers();
    const bridge = installHostBridge(Object.assign(win, { parent }), h);
    deliver({ type: 'skbwalk:goto', step: 4 }, parent);
    bridge.postStep(4, 10, 'ip_rcv');
    expect(h.goto).toHaveBeenCalledWith(4);
    expect(posted).toHaveLength(1);
  });

  it("posts step messages to the parent with targetOrigin '*', skipping repeats", () => {
    const { win } = fakeWindow();
    const { parent, posted } = fakeParent();
    const bridge = installHostBridge(win, handlers(), () => parent);
    bridge.postStep(0, 239, null);
    bridge.postStep(36, 239, 'veth_xmit');
    bridge.postStep(36, 239, 'veth_xmit');
    bridge.postStep(37, 239, 'veth_forward_skb');
    expect(posted).toEqual([
      [{ type: 'skbwalk:step', step: 0, total: 239, function: null }, '*'],
      [{ type: 'skbwalk:step', step: 36, total: 239, function: 'veth_xmit' }, '*'],
      [{ type: 'skbwalk:step', step: 37, total: 239, function: 'veth_forward_skb' }, '*'],
    ]);
  });

  it('survives throwing handlers, parents and getParent', () => {
    const { win, deliver } = fakeWindow();
    const parent: ParentWindow = {
      postMessage: () => {
        throw new Error('gone');
      },
    };
    const bridge = installHostBridge(
      win,
      {
        goto: () => {
          throw new Error('x');
        },
        play: () => {},
        pause: () => {},
      },
      () => parent,
    );
    expect(() => deliver({ type: 'skbwalk:goto', step: 1 }, parent)).not.toThrow();
    expect(() => bridge.postStep(1, 2, 'f')).not.toThrow();
    const b2 = installHostBridge(fakeWindow().win, handlers(), () => {
      throw new DOMException('cross-origin', 'SecurityError');
    });
    expect(() => b2.postStep(1, 2, 'f')).not.toThrow();
  });

  it('uninstall stops listening and posting', () => {
    const { win, deliver, listeners } = fakeWindow();
    const { parent, posted } = fakeParent();
    const h = handlers();
    const bridge = installHostBridge(win, h, () => parent);
    expect(listeners.size).toBe(1);
    bridge.uninstall();
    bridge.uninstall();
    expect(listeners.size).toBe(0);
    deliver({ type: 'skbwalk:play' }, parent);
    bridge.postStep(1, 2, 'f');
    expect(h.play).not.toHaveBeenCalled();
    expect(posted).toEqual([]);
  });
});
