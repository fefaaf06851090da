// trace.txt made as the run goes (the CLI's way: a slice at a time, each
// slice's events discarded once written, the text drained through a small
// buffer) must be byte for byte the trace.txt of the whole run.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { RunBuilder, runScenario } from './run.ts';
import { TraceText, traceFile } from './trace_txt.ts';
import { runWords, writeRunFiles } from './files.ts';

const scenario = (name: string): string => readFileSync(new URL(`../../scenarios/${name}.sh`, import.meta.url), 'utf8');

/** trace.txt made slice by slice, discarding each slice's events, and the files besides it. */
function streamed(text: string, slice: number): { trace: Uint8Array; files: Map<string, string | Uint8Array> } {
  const b = new RunBuilder(text, { outputsOnly: true });
  const chunks: number[] = [];
  const trace = new TraceText(runWords(b.result()), (bytes) => chunks.push(...bytes));
  let done = false;
  while (!done) {
    done = b.advance(slice);
    const run = b.result();
    trace.feed(run);
    run.rec.events.discard();
  }
  trace.finish();
  return { trace: Uint8Array.from(chunks), files: writeRunFiles(b.result(), trace) };
}

describe('trace.txt as the run goes', () => {
  it.each([
    // TCP: the ports the kernel picked become P1, ... in trace.txt and terminal.txt.
    ['tcp-netns-hello', 7],
    // Two pings: two trace windows, and events between them that no window holds.
    ['docker-bridge', 50],
    ['router-forward', 1000],
  ])("%s, in slices of %i steps, is the whole run's, byte for byte", (name, slice) => {
    const text = scenario(name);
    const whole = runScenario(text, { outputsOnly: true });
    const wholeFiles = writeRunFiles(whole);
    const { trace, files } = streamed(text, slice);
    expect(whole.rec.events.length).toBeGreaterThan(0);
    expect(new TextDecoder().decode(trace)).toBe(new TextDecoder().decode(wholeFiles.get('trace.txt') as Uint8Array));
    wholeFiles.delete('trace.txt');
    expect(files).toEqual(wholeFiles);
  });

  it('refuses to write a run whose events were discarded before they were written', () => {
    const b = new RunBuilder(scenario('router-forward'), { outputsOnly: true });
    b.advance();
    const run = b.result();
    run.rec.events.discard();
    expect(() => traceFile(run, runWords(run))).toThrow('events were discarded before they were written');
  });
});
