// Test helpers for the userspace tools: a booted world (host namespace with lo
// up, as the recordings start) and a tiny executor for ip / ifconfig / sysctl /
// echo > /proc/sys lines, independent of the scenario shell.
import type { World } from '../../kernel/world.ts';
import { baseWorld } from '../../kernel/world.ts';
import type { Net } from '../../include/net.ts';
import { Recorder } from '../../trace/recorder.ts';
import { createOutput } from '../../run/output.ts';
import { copyNetNs } from '../../net/core/net_namespace.ts';
import { dev_open } from '../../net/core/rtnetlink.ts';
import { lexScript, type ScriptLine } from '../../scenario/lexer.ts';
import type { ToolContext } from '../tool.ts';
import { ip_main } from './ip.ts';
import { ifconfig_main } from '../ifconfig.ts';
import { procSysWrite, sysctl_main } from '../sysctl.ts';

export interface TestWorld {
  w: World;
  host: Net;
  /** Everything printed so far (stdout and stderr interleaved, as a terminal shows them). */
  lines: string[];
}

export function bootTestWorld(seed = 1): TestWorld {
  const w = baseWorld(seed, new Recorder(), createOutput());
  const host = copyNetNs(w, '');
  dev_open(w, host.loopback);
  return { w, host, lines: [] };
}

function runArgv(t: TestWorld, net: Net, argv: string[], lineNo: number, redirect: { path: string } | null): number {
  const ctx: ToolContext = {
    w: t.w,
    net,
    stdout: (l) => t.lines.push(l),
    stderr: (l) => t.lines.push(l),
    exec: (n, a) => runArgv(t, n, a, lineNo, null),
  };
  if (redirect) return procSysWrite(ctx, redirect.path, argv.slice(1).join(' '), lineNo);
  switch (argv[0]) {
    case 'ip':
      return ip_main(ctx, argv);
    case 'ifconfig':
      return ifconfig_main(ctx, argv);
    case 'sysctl':
      return sysctl_main(ctx, argv);
    default:
      t.lines.push(`test: ${argv[0]}: not available here`);
      return 127;
  }
}

/** Runs lexed script lines in the host namespace; returns what they printed. */
export function runLines(t: TestWorld, lines: ScriptLine[], statuses: number[] = []): string[] {
  const start = t.lines.length;
  for (const l of lines) {
    if (l.error) {
      t.lines.push(l.error);
      statuses.push(2);
      continue;
    }
    statuses.push(runArgv(t, t.host, l.argv, l.line, l.redirect));
  }
  return t.lines.slice(start);
}

/** Runs a script (one or more lines) and returns what it printed; `statuses` gets each command's exit status. */
export function run(t: TestWorld, script: string, statuses: number[] = []): string[] {
  return runLines(t, lexScript(script), statuses);
}

/** Replaces MAC addresses by M1, M2... in order of first appearance (00:.. and ff:.. stay). */
export function labelMacs(lines: string[]): string[] {
  const map = new Map<string, string>();
  return lines.map((l) =>
    l.replace(/\b([0-9a-f]{2}:){5}[0-9a-f]{2}\b|\bM\d+\b/g, (m) => {
      if (m === 'ff:ff:ff:ff:ff:ff' || m === '00:00:00:00:00:00') return m;
      if (!map.has(m)) map.set(m, `M${map.size + 1}`);
      return map.get(m)!;
    }),
  );
}
