// Fuzzing for a bounded time (CI-friendly): the scenario language and the
// link decoder take hostile input and must answer with a run or a message,
// never an exception or a hang. Each property stops after its time budget;
// the seeds are fixed, so a failure reproduces.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EngineSession } from '../src/engine/session.ts';
import { decodeState, encodeState, base64urlEncode } from '../src/ui/share/urlState.ts';

const BUDGET_MS = 15_000;

/** Pieces of shell and of skbwalk's commands, glued at random: parses that nearly make sense. */
const word = fc.oneof(
  fc.constantFrom(
    'ip',
    'link',
    'add',
    'veth0',
    'type',
    'veth',
    'peer',
    'name',
    'veth1',
    'netns',
    'ns1',
    'set',
    'up',
    'down',
    'addr',
    'route',
    'blackhole',
    'unreachable',
    'prohibit',
    'throw',
    'via',
    'dev',
    'default',
    '10.0.0.1/24',
    '10.0.0.2',
    'ping',
    '-c',
    '2',
    '-f',
    '-q',
    '-I',
    '-s',
    '65507',
    '-i',
    '0',
    '-W',
    '1',
    'tcpdump',
    '-i',
    'sysctl',
    '-w',
    'net.ipv4.ip_forward=1',
    'echo',
    '1',
    '>',
    '/proc/sys/net/ipv4/ip_forward',
    'sleep',
    'ifconfig',
    'bridge',
    'master',
    'br0',
    'exec',
    '-n',
    'neigh',
    'mtu',
    '1280',
    'del',
    'get',
    'show',
    '-br',
    ';',
    '&&',
    '||',
    '|',
    '&',
    '(',
    ')',
    '{',
    '}',
    '"',
    "'",
    '\\',
    '$',
    '`',
    '#',
    '<<',
    'EOF',
    '*',
    '~',
    '=',
  ),
  fc.string({ maxLength: 6 }),
  fc.integer({ min: -5, max: 70000 }).map(String),
);
const scriptLine = fc.array(word, { maxLength: 10 }).map((w) => w.join(' '));
const script = fc.array(scriptLine, { maxLength: 12 }).map((l) => l.join('\n'));

describe('fuzz: the scenario language', () => {
  it('runs or reports every script, and its views open', { timeout: BUDGET_MS * 4 }, () => {
    let runs = 0;
    fc.assert(
      fc.property(script, fc.nat(), (text, pick) => {
        const session = new EngineSession(text);
        const summary = session.summary();
        const step = summary.total ? pick % (summary.total + 1) : 0;
        expect(session.view(step).step).toBe(step);
        runs++;
      }),
      { seed: 1010, numRuns: 1_000_000, interruptAfterTimeLimit: BUDGET_MS, markInterruptAsFailure: false },
    );
    expect(runs).toBeGreaterThan(20);
  });
});

/** Damage done to a good link: bits flipped in its bytes, then its text cut, added to or percent-escaped. */
const damage = fc.record({
  flips: fc.array(fc.record({ at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }), { maxLength: 2 }),
  cut: fc.option(fc.nat()),
  insert: fc.option(fc.record({ at: fc.nat(), text: fc.string({ maxLength: 4 }) })),
  escapeAt: fc.option(fc.nat()),
});

const ERROR_START = /^(the link|this link|this browser|the shared state)/;

describe('fuzz: the link decoder', () => {
  it('decodes or explains every damaged link', { timeout: BUDGET_MS * 4 }, async () => {
    const good = await encodeState({
      v: 2,
      scenario: 'ip link add veth0 type veth peer name veth1\nping -c 1 10.0.0.2\n',
      step: 7,
    });
    const dot = good.indexOf('.') + 1;
    const bytes = Uint8Array.from(atob(good.slice(dot).replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(damage, async (d) => {
        const b = bytes.slice();
        for (const f of d.flips) b[f.at % b.length] ^= 1 << f.bit;
        let data = base64urlEncode(b);
        if (d.cut !== null) data = data.slice(0, d.cut % (data.length + 1));
        if (d.insert !== null) {
          const at = d.insert.at % (data.length + 1);
          data = data.slice(0, at) + d.insert.text + data.slice(at);
        }
        if (d.escapeAt !== null) {
          const at = d.escapeAt % (data.length + 1);
          data = data.slice(0, at) + '%3C' + data.slice(at);
        }
        const r = await decodeState(`#s=${good.slice(3, dot)}${data}`, { timeoutMs: 5000 });
        if (r.ok) expect(r.state.step).toBeGreaterThanOrEqual(0);
        else expect(r.error).toMatch(ERROR_START);
        // A "<" written as %3C is reported as "<", never as its escape.
        if (!r.ok && d.escapeAt !== null && d.insert === null) expect(r.error).not.toContain('"%"');
        runs++;
      }),
      { seed: 2020, numRuns: 1_000_000, interruptAfterTimeLimit: BUDGET_MS, markInterruptAsFailure: false },
    );
    expect(runs).toBeGreaterThan(20);
  });
});
