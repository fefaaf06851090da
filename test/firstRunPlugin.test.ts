// The first run the build ships (scripts/firstRunPlugin.ts): its module
// evaluates to exactly the run, anchors and dagre shapes the engine and the
// layout compute, and a page that takes its shapes lays the first picture out
// as dagre does.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { firstRunPlugin, toSource } from '../scripts/firstRunPlugin.ts';
import { defaultFirstRun } from '../scripts/defaultFirstRun.ts';
import { EngineSession } from '../src/engine/session.ts';
import { DEFAULT_SCENARIO, SCENARIOS, narrativeOf } from '../src/scenarios/index.ts';
import { layoutTopology } from '../src/ui/topology/layout.ts';
import { importSkeletons, type SkeletonData } from '../src/ui/topology/skeletonCache.ts';

const ROOT = new URL('..', import.meta.url).pathname;

async function evaluate(source: string): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'skbwalk-first-run-'));
  try {
    const file = join(dir, 'm.mjs');
    writeFileSync(file, source);
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('toSource', () => {
  it('writes plain data and typed arrays as an expression that evaluates to them', async () => {
    const value = {
      a: [1, -0.5, 'x"y', null, true, { b: undefined }],
      u16: new Uint16Array([0, 65535]),
      i32: new Int32Array([-1, 7]),
      u8: new Uint8Array([]),
      odd: [NaN, Infinity, -Infinity],
      'key with space': 'line\nbreak',
    };
    const m = await evaluate(`export default ${toSource(value)};`);
    expect(m.default).toEqual(value);
    expect((m.default as typeof value).u16).toBeInstanceOf(Uint16Array);
  });

  it('refuses what it cannot write as data', () => {
    expect(() => toSource({ m: new Map() })).toThrow('firstRunPlugin: a Map cannot be shipped as data');
    expect(() => toSource(new DataView(new ArrayBuffer(1)))).toThrow('firstRunPlugin: a DataView cannot be shipped');
  });
});

describe('the first run the build ships', () => {
  it('is the default scenario run by the engine, with its narrative anchored, and its picture laid out', async () => {
    const plugin = firstRunPlugin();
    (plugin.configResolved as (c: { command: string; root: string }) => void)({ command: 'build', root: ROOT });
    const source = await (plugin.load as (id: string) => Promise<string>)('\0virtual:skbwalk-first-run');
    const shipped = await evaluate(source);

    const session = new EngineSession(DEFAULT_SCENARIO);
    const narrative = await narrativeOf(SCENARIOS[0].id);
    expect(shipped.firstRun).toEqual({
      text: DEFAULT_SCENARIO,
      summary: session.summary(),
      view: session.view(0),
      anchors: session.resolve(narrative!.notes.map((n) => n.at)),
    });
    // The anchors name moments of the run (a narrative note that anchors nowhere would be a broken chapter).
    expect((shipped.firstRun as { anchors: (number | null)[] }).anchors).not.toContain(null);
    expect(shipped.skeletons).toEqual((await defaultFirstRun()).skeletons);

    // Laid out by dagre here, then from the shipped shapes: the same picture.
    const view = session.view(0);
    const byDagre = layoutTopology(view, { width: 1366, height: 850 });
    importSkeletons(shipped.skeletons as SkeletonData[]);
    expect(layoutTopology(view, { width: 1366, height: 850 })).toEqual(byDagre);
  });

  it('is drawn into index.html as the explorer at step 0 of that run', async () => {
    const plugin = firstRunPlugin();
    (plugin.configResolved as (c: { command: string; root: string }) => void)({ command: 'build', root: ROOT });
    const transform = plugin.transformIndexHtml as { handler: (html: string) => Promise<string> };
    const page = await transform.handler(readFileSync(join(ROOT, 'index.html'), 'utf8'));
    const session = new EngineSession(DEFAULT_SCENARIO);
    const summary = session.summary();
    const view = session.view(0);
    const opening = '<div id="root" data-static-first-view inert aria-hidden="true">';
    expect(page).toContain(opening);
    const root = page.slice(page.indexOf(opening));
    expect(root).toContain(`>Step 0 of ${summary.total}</`);
    // Every device of the first view is drawn, and nothing else is.
    const drawn = [...root.matchAll(/data-testid="dev-([^"]+)"/g)].map((m) => m[1]).sort();
    expect(drawn).toEqual(view.namespaces.flatMap((ns) => ns.devices.map((d) => d.name)).sort());
    expect(page).toContain(`<title>Step 0/${summary.total} · ${summary.title.slice(0, 40)}`);
  });

  it('is none from the dev server', async () => {
    const plugin = firstRunPlugin();
    (plugin.configResolved as (c: { command: string; root: string }) => void)({ command: 'serve', root: ROOT });
    const shipped = await evaluate(await (plugin.load as (id: string) => Promise<string>)('\0virtual:skbwalk-first-run'));
    expect(shipped).toMatchObject({ firstRun: null, skeletons: [] });
  });
});
