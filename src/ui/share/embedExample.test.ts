// Keeps public/embed-example.html honest: its hardcoded step numbers must be
// where the engine calls the functions its sections name, and its iframe URL
// must decode to the seed scenario with valid embed options.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EngineSession } from '../../engine/session.ts';
import { SEED_SCENARIO } from '../../scenarios/seed.ts';
import { decodeState } from './urlState.ts';
import { parseEmbedOptions } from './embedOptions.ts';

const html = readFileSync(new URL('../../../public/embed-example.html', import.meta.url), 'utf8');

describe('public/embed-example.html', () => {
  it('each section goes to the first step calling its function', () => {
    const sections = [...html.matchAll(/<section data-step="(\d+)" data-function="([a-z_0-9]+)">/g)].map((m) => ({
      step: Number(m[1]),
      fn: m[2],
    }));
    expect(sections.map((s) => s.fn)).toEqual(['raw_sendmsg', 'veth_xmit', 'enqueue_to_backlog', 'net_rx_action', 'icmp_reply']);
    const { functions } = new EngineSession(SEED_SCENARIO).summary();
    for (const s of sections) {
      expect(functions[s.step - 1], `step ${s.step}`).toBe(s.fn);
      expect(functions.indexOf(s.fn) + 1, s.fn).toBe(s.step);
    }
    // the story reads top to bottom
    expect(sections.map((s) => s.step)).toEqual([...sections.map((s) => s.step)].sort((a, b) => a - b));
  });

  it('embeds the seed scenario at step 0 with valid options', async () => {
    const src = /<iframe\s+id="skbwalk"\s+src="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
    expect(src).toMatch(/^\.\/index\.html\?/);
    const r = await decodeState(src!);
    expect(r.ok && r.state).toEqual({ v: 1, scenario: SEED_SCENARIO, step: 0 });
    expect(parseEmbedOptions(src!)).toMatchObject({ embed: true, panel: 'callstack', warnings: [] });
  });

  it('loads nothing from elsewhere', () => {
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\(/);
  });
});
