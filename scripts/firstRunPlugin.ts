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
import { join } from 'node:path';
import { runnerImport, type Plugin } from 'vite';

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

export function firstRunPlugin(): Plugin {
  let building = false;
  let root = process.cwd();
  return {
    name: 'skbwalk:first-run',
    configResolved(config) {
      building = config.command === 'build';
      root = config.root;
    },
    resolveId(id) {
      return id === ID ? RESOLVED : undefined;
    },
    async load(id) {
      if (id !== RESOLVED) return undefined;
      if (!building) return 'export const firstRun = null;\nexport const skeletons = [];\n';
      const { module } = await runnerImport<typeof import('./defaultFirstRun.ts')>(join(root, 'scripts/defaultFirstRun.ts'), {
        configFile: false,
        root,
        logLevel: 'warn',
      });
      const { firstRun, skeletons } = await module.defaultFirstRun();
      return `export const firstRun = ${toSource(firstRun)};\nexport const skeletons = ${toSource(skeletons)};\n`;
    },
  };
}
