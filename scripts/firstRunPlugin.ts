// The Vite plugin behind `virtual:skbwalk-first-run`: at build time it runs
// the engine on the default scenario (scripts/defaultFirstRun.ts, loaded
// through Vite's module runner so that the scenarios' `?raw` imports resolve)
// and makes the result a module of its own, which the page fetches beside its
// startup chunks. The page then draws the default scenario's first step
// without waiting for the engine's worker (105 KiB of gzipped JS, plus
// compiling and running it) or for dagre's first layout (the slowest, its code
// not yet compiled), and starts the worker once that step is painted. The dev
// server answers null: there the page asks the worker, as it does for any
// other text.
// It also writes that first step into index.html as static HTML
// (src/ui/staticFirstView.ts), drawn before any script has run, with the
// head's script that hides it on a page opening on something else.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { runnerImport, type Plugin } from 'vite';
import type { DefaultFirstRun } from './defaultFirstRun.ts';
import type { StaticFirstView } from './staticFirstView.tsx';
import { STATIC_ATTR } from '../src/ui/staticFirstView.ts';

const ID = 'virtual:skbwalk-first-run';
const RESOLVED = `\0${ID}`;

/** `value` as a JavaScript expression: plain data and typed arrays, nothing else. */
export function toSource(value: unknown): string {
  if (ArrayBuffer.isView(value)) {
    if (value instanceof DataView) throw new Error('firstRunPlugin: a DataView cannot be shipped');
    return `new ${value.constructor.name}([${Array.from(value as unknown as ArrayLike<number>).join(',')}])`;
  }
  if (Array.isArray(value)) return `[${value.map(toSource).join(',')}]`;
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : String(value);
  if (value === undefined) return 'undefined';
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      throw new Error(`firstRunPlugin: a ${(value as object).constructor?.name ?? 'value'} cannot be shipped as data`);
    }
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${toSource(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** `html` with the static first view in #root, its title, and the head's gate script allowed by the page's policy. */
export function withStaticFirstView(html: string, view: StaticFirstView): string {
  const hash = createHash('sha256').update(view.gate).digest('base64');
  const steps: [RegExp, (m: string) => string][] = [
    [/<title>[^<]*<\/title>/, () => `<title>${escapeText(view.title)}</title>`],
    [/script-src 'self'/, (m) => `${m} 'sha256-${hash}'`],
    // Before the stylesheet and the scripts: the page is marked before anything is drawn.
    [/<meta name="viewport"[^>]*>/, (m) => `${m}\n    <script>${view.gate}</script>`],
    [/<div id="root"><\/div>/, () => `<div id="root" ${STATIC_ATTR} inert aria-hidden="true">${view.html}</div>`],
  ];
  for (const [re, put] of steps) {
    if (!re.test(html)) throw new Error(`firstRunPlugin: index.html has no ${re.source}`);
    html = html.replace(re, put);
  }
  return html;
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function firstRunPlugin(): Plugin {
  let building = false;
  let root = process.cwd();
  let computed: Promise<DefaultFirstRun> | null = null;
  // Once per build: the virtual module and index.html ship the same run.
  const compute = () =>
    (computed ??= runnerImport<typeof import('./defaultFirstRun.ts')>(join(root, 'scripts/defaultFirstRun.ts'), {
      configFile: false,
      root,
      logLevel: 'warn',
    }).then(({ module }) => module.defaultFirstRun()));
  return {
    name: 'skbwalk:first-run',
    configResolved(config) {
      building = config.command === 'build';
      root = config.root;
    },
    buildStart() {
      computed = null;
    },
    resolveId(id) {
      return id === ID ? RESOLVED : undefined;
    },
    async load(id) {
      if (id !== RESOLVED) return undefined;
      if (!building) return 'export const firstRun = null;\nexport const skeletons = [];\n';
      const { firstRun, skeletons } = await compute();
      return `export const firstRun = ${toSource(firstRun)};\nexport const skeletons = ${toSource(skeletons)};\n`;
    },
    transformIndexHtml: {
      order: 'post',
      async handler(html) {
        if (!building) return html;
        return withStaticFirstView(html, (await compute()).staticView);
      },
    },
  };
}
