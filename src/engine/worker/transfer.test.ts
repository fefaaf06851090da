import { describe, expect, it } from 'vitest';
import { EngineSession } from '../session.ts';
import { summaryBuffers } from './transfer.ts';

/** Every ArrayBuffer a value holds, however deep (what postMessage would otherwise copy). */
function buffersIn(value: unknown, found = new Set<ArrayBuffer>()): Set<ArrayBuffer> {
  if (ArrayBuffer.isView(value)) found.add(value.buffer as ArrayBuffer);
  else if (value instanceof ArrayBuffer) found.add(value);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) buffersIn(v, found);
  return found;
}

describe('the run summary message', () => {
  it('transfers every buffer it holds, each once', () => {
    // Captures, refused lines, failed commands and events: every kind of column.
    const text =
      'ip link add veth0 type veth peer name veth1\nip addr add 10.0.0.1/24 dev veth0\nip link set veth0 up\n' +
      'ip link set veth1 up\ntcpdump -i veth0\nip link set veth9 up\nx | y\nping -c 2 10.0.0.2\n';
    const summary = new EngineSession(text).summary();
    expect(summary.captures).toHaveLength(1);
    expect(summary.scriptErrors.line.length).toBe(1);
    const transferred = summaryBuffers(summary);
    expect(new Set(transferred).size).toBe(transferred.length);
    expect(new Set(transferred)).toEqual(buffersIn(summary));
  });
});
