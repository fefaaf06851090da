// The static first view the build writes into index.html: the head's gate
// shows it only on a page that opens on the default example (never when the
// editor or a link would show another text), the page's policy allows the gate
// and nothing else inline, and the picture is the first run's.
import { createHash } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OWN_KEY, TAB_KEY, type KeyValueStorage } from '../src/ui/editor/savedScenarios.ts';
import { LIVE_ONLY_ATTR, STATIC_ATTR, opensOnDefault } from '../src/ui/staticFirstView.ts';
import { initialEditor } from '../src/ui/store.ts';
import { DEFAULT_SCENARIO, SCENARIOS } from '../src/scenarios/index.ts';
import { gateScript } from '../scripts/staticFirstView.tsx';
import { withStaticFirstView } from '../scripts/firstRunPlugin.ts';

const KEYS = { own: OWN_KEY, tab: TAB_KEY, example: SCENARIOS[0].id };

function storage(entries: Record<string, string>): KeyValueStorage {
  const m = new Map(Object.entries(entries));
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
  };
}

const tabRecord = (source: unknown, hash: unknown = '') => JSON.stringify({ hash, source });

// What a reader's storage may hold: "Your scenario" (absent, blank, an example's text, their own),
// and this tab's record (absent, broken, or showing any kind of source).
const ownValue = fc.constantFrom<string | undefined>(
  undefined,
  '',
  '  \n',
  DEFAULT_SCENARIO,
  SCENARIOS[1].script,
  'ip link show\n',
);
const tabValue = fc.constantFrom<string | undefined>(
  undefined,
  '',
  'not json',
  'null',
  '{}',
  tabRecord(undefined),
  tabRecord({ kind: 'example', id: SCENARIOS[0].id }),
  tabRecord({ kind: 'example', id: SCENARIOS[1].id }),
  tabRecord({ kind: 'example', id: 'no-such-example' }),
  tabRecord({ kind: 'own' }),
  tabRecord({ kind: 'copy', id: 'c1' }),
  tabRecord({ kind: 'copy', id: 'missing' }),
  tabRecord({ kind: 'link' }, '#s=abc'),
  tabRecord({ kind: 'example', id: SCENARIOS[1].id }, 7),
);
const copiesValue = fc.constantFrom<string | undefined>(
  undefined,
  JSON.stringify([{ id: 'c1', title: 'Mine (edited)', text: 'ip addr show\n' }]),
);

function entries(pairs: [string, string | undefined][]): Record<string, string> {
  return Object.fromEntries(pairs.filter((p): p is [string, string] => p[1] !== undefined));
}

describe('opensOnDefault', () => {
  it('is true only when the editor opens on the default example', () => {
    fc.assert(
      fc.property(ownValue, copiesValue, tabValue, (own, copies, tab) => {
        const local = storage(
          entries([
            [OWN_KEY, own],
            ['skbwalk.copies', copies],
          ]),
        );
        const session = storage(entries([[TAB_KEY, tab]]));
        if (opensOnDefault({ hash: '', search: '' }, local, session, KEYS)) {
          expect(initialEditor(local, session).text).toBe(DEFAULT_SCENARIO);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is true for a first visit and for a tab that last showed the default example or a link', () => {
    const none = storage({});
    expect(opensOnDefault({ hash: '', search: '' }, none, none, KEYS)).toBe(true);
    expect(opensOnDefault({ hash: '#', search: '?' }, null, null, KEYS)).toBe(true);
    const tab = (source: unknown) => storage({ [TAB_KEY]: tabRecord(source) });
    expect(opensOnDefault({ hash: '', search: '' }, none, tab({ kind: 'example', id: SCENARIOS[0].id }), KEYS)).toBe(true);
    expect(opensOnDefault({ hash: '', search: '' }, none, tab({ kind: 'link' }), KEYS)).toBe(true);
  });

  it('is false for a link, an embed, the reader’s own text, another example, or storage that throws', () => {
    const none = storage({});
    expect(opensOnDefault({ hash: '#s=abc', search: '' }, none, none, KEYS)).toBe(false);
    expect(opensOnDefault({ hash: '', search: '?embed=1' }, none, none, KEYS)).toBe(false);
    expect(opensOnDefault({ hash: '', search: '' }, storage({ [OWN_KEY]: 'ip link show\n' }), none, KEYS)).toBe(false);
    const other = storage({ [TAB_KEY]: tabRecord({ kind: 'example', id: SCENARIOS[1].id }) });
    expect(opensOnDefault({ hash: '', search: '' }, none, other, KEYS)).toBe(false);
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(opensOnDefault({ hash: '', search: '' }, refusing, none, KEYS)).toBe(false);
  });
});

/** Runs the head's script in a page-like global; returns the attributes it put on <html>. */
function runGate(script: string, page: { hash?: string; search?: string; local?: unknown; session?: unknown }): string[] {
  const attrs: string[] = [];
  runInNewContext(script, {
    location: { hash: page.hash ?? '', search: page.search ?? '' },
    localStorage: page.local ?? storage({}),
    sessionStorage: page.session ?? storage({}),
    document: { documentElement: { setAttribute: (name: string) => attrs.push(name) } },
  });
  return attrs;
}

describe('the head’s gate script', () => {
  const script = gateScript(KEYS);

  it('marks the page exactly when it will not open on the default example', () => {
    expect(runGate(script, {})).toEqual([]);
    expect(runGate(script, { hash: '#s=abc' })).toEqual([LIVE_ONLY_ATTR]);
    expect(runGate(script, { search: '?embed=1' })).toEqual([LIVE_ONLY_ATTR]);
    expect(runGate(script, { local: storage({ [OWN_KEY]: 'ip link show\n' }) })).toEqual([LIVE_ONLY_ATTR]);
  });

  it('marks the page when its storage cannot be reached at all', () => {
    const attrs: string[] = [];
    const global = {
      location: { hash: '', search: '' },
      document: { documentElement: { setAttribute: (name: string) => attrs.push(name) } },
    };
    Object.defineProperty(global, 'localStorage', {
      get() {
        throw new Error('SecurityError: access is denied');
      },
    });
    runInNewContext(script, global);
    expect(attrs).toEqual([LIVE_ONLY_ATTR]);
  });
});

describe('withStaticFirstView', () => {
  const INDEX = [
    '<head>',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; object-src 'none'" />`,
    '<meta name="viewport" content="width=device-width" />',
    '<title>skbwalk</title>',
    '</head><body><div id="root"></div></body>',
  ].join('\n');
  const view = { html: '<main>picture</main>', title: 'Step 0/9 · A <b> & c — skbwalk', gate: 'void 0;' };

  it('writes the picture into #root, its title, and the gate allowed by its hash alone', () => {
    const hash = createHash('sha256').update(view.gate).digest('base64');
    expect(withStaticFirstView(INDEX, view)).toBe(
      [
        '<head>',
        `<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'sha256-${hash}'; object-src 'none'" />`,
        '<meta name="viewport" content="width=device-width" />\n    <script>void 0;</script>',
        '<title>Step 0/9 · A &lt;b&gt; &amp; c — skbwalk</title>',
        `</head><body><div id="root" ${STATIC_ATTR} inert aria-hidden="true"><main>picture</main></div></body>`,
      ].join('\n'),
    );
  });

  it('refuses a page it cannot write the picture into', () => {
    expect(() => withStaticFirstView(INDEX.replace('<div id="root"></div>', '<div id="app"></div>'), view)).toThrow(
      'firstRunPlugin: index.html has no <div id="root"><\\/div>',
    );
  });
});
