// `tcpdump -i DEV`: opens a packet socket on the device. The capture lasts to
// the end of the scenario; like the kernel-trace recorder, the script waits a
// second after starting it, whether or not the capture could start (the
// recorder's wait does not depend on tcpdump's exit status).
import type { ToolContext } from './tool.ts';
import { devGetByName } from '../net/core/register.ts';

export interface TcpdumpStart {
  status: number;
  /** Virtual ns the shell should wait before the next line. */
  wait: number;
}

export function tcpdumpStart(ctx: ToolContext, argv: string[]): TcpdumpStart {
  let dev: string | null = null;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-i' || a === '--interface') dev = argv[++i] ?? null;
    else if (a.startsWith('-i') && a.length > 2) dev = a.slice(2);
    else if (a.startsWith('--interface=')) dev = a.slice(12);
  }
  if (dev === null) {
    ctx.stderr('skbwalk: tcpdump needs -i DEV (capturing on "any" is not supported)');
    return { status: 1, wait: 1e9 };
  }
  const d = devGetByName(ctx.net, dev);
  if (!d) {
    ctx.stderr(`tcpdump: ${dev}: No such device exists`);
    ctx.stderr('(No such device exists)');
    return { status: 1, wait: 1e9 };
  }
  const out = ctx.w.out;
  if (!out.muted) {
    out.captures.push({
      index: out.captures.length,
      devName: dev,
      devUid: d.uid,
      netUid: ctx.net.uid,
      netName: ctx.net.name,
      startStep: ctx.w.rec.count,
      packets: [],
      full: false,
    });
  }
  // Capture indices count the script's tcpdump lines from 0; the counter lives in the world so replays agree.
  d.taps.push(ctx.w.shell.captures++);
  return { status: 0, wait: 1e9 };
}
