// Keeps public/embed-example.html honest: its hardcoded step numbers must be
// where the engine calls the functions its sections name, and its iframe URL
// must decode to the seed scenario with valid embed options.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EngineSession } from '../../engine/session.ts';
import { STEP_KIND_ENTRY, STEP_KIND_RETURN, stepFunction } from '../../engine/worker/protocol.ts';
import { SEED_SCENARIO } from '../../scenarios/seed.ts';
import { decodeState } from './urlState.ts';
import { parseEmbedOptions } from './embedOptions.ts';

const html = readFileSync(new URL('../../../public/embed-example.html', import.meta.url), 'utf8');

describe('public/embed-example.html', () => {
  it('each section goes to the first step calling (or returning from) its function', () => {
    const sections = [
      ...html.matchAll(/<section data-step="(\d+)" data-function="([a-z_0-9]+)"(?: data-kind="(return)")?>/g),
    ].map((m) => ({
      step: Number(m[1]),
      fn: m[2],
      kind: m[3] === 'return' ? STEP_KIND_RETURN : STEP_KIND_ENTRY,
    }));
    expect(sections.map((s) => s.fn)).toEqual([
      'raw_sendmsg',
      'veth_xmit',
      'enqueue_to_backlog',
      'net_rx_action',
      'skb_queue_splice_tail_init',
      'icmp_reply',
    ]);
    expect(sections.map((s) => s.kind === STEP_KIND_RETURN)).toEqual([false, false, true, false, true, false]);
    const summary = new EngineSession(SEED_SCENARIO).summary();
    for (const s of sections) {
      const step = s.step;
      expect(stepFunction(summary, step), `step ${s.step}`).toBe(s.fn);
      expect(summary.stepKind[step - 1], `step ${s.step}`).toBe(s.kind);
      let first = 0;
      for (let i = 0; i < summary.total && !first; i++) {
        if (stepFunction(summary, i + 1) === s.fn && summary.stepKind[i] === s.kind) first = i + 1;
      }
      expect(first, s.fn).toBe(step);
    }
    // the story reads top to bottom
    expect(sections.map((s) => s.step)).toEqual([...sections.map((s) => s.step)].sort((a, b) => a - b));
  });

  it('embeds the seed scenario at step 0 with valid options', async () => {
    const src = /<iframe\s+id="skbwalk"\s+src="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
    expect(src).toMatch(/^\.\/index\.html\?/);
    const r = await decodeState(src!);
    expect(r.ok && r.state).toEqual({ v: 4, scenario: SEED_SCENARIO, step: 0 });
    expect(parseEmbedOptions(src!)).toMatchObject({ embed: true, panel: 'callstack', warnings: [] });
  });

  it('loads nothing from elsewhere', () => {
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\(/);
  });
});
