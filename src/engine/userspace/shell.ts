// The shell that runs a scenario script line by line, as `bash script.sh`
// would: a failing command prints its error and the script goes on.
import type { World } from '../kernel/world.ts';
import { register_exit_notifier, timer_setup } from '../kernel/sched.ts';
import type { Net } from '../include/net.ts';
import type { ScriptLine } from '../scenario/lexer.ts';
import type { ToolContext } from './tool.ts';
import { writeErr, writeOut } from '../run/terminal.ts';
import { netByUid } from '../net/core/net_namespace.ts';
import { ip_main } from './iproute2/ip.ts';
import { ifconfig_main } from './ifconfig.ts';
import { procSysWrite, sysctl_main } from './sysctl.ts';
import { pingStart } from './ping.ts';
import { tcpdumpStart } from './tcpdump.ts';
import { addTimer } from '../kernel/timer.ts';
import { closeTraceWindow, openTraceWindow } from '../run/windows.ts';

const SUPPORTED = 'ip, ifconfig, sysctl, echo ... > /proc/sys/..., ping, tcpdump, sleep';

function makeCtx(w: World, net: Net, lineNo: number): ToolContext {
  const ctx: ToolContext = {
    w,
    net,
    stdout: (line) => writeOut(w, line + '\n'),
    stderr: (line) => writeErr(w, line),
    exec: (n, argv) => runCommand(w, n, argv, null, lineNo),
  };
  return ctx;
}

// The shell's own timer ends a `sleep`.
timer_setup('shell', (w, t) => {
  if (w.shell.waitingFor === -1 && t.gen === w.shell.gen) w.shell.waitingFor = 0;
});

// A program the shell waits for has exited: the recorder stops tracing, and
// the shell goes on with the script.
register_exit_notifier((w, task) => {
  closeTraceWindow(w);
  if (w.shell.waitingFor === task.pid) w.shell.waitingFor = 0;
  w.procs = w.procs.filter((x) => x !== task);
});

function sleepFor(w: World, ns: number): void {
  w.shell.waitingFor = -1;
  w.shell.gen++;
  addTimer(w, w.now + ns, 'shell', 0, w.shell.gen);
}

/** Runs one command in `net`. Blocking commands (ping, sleep, tcpdump) set the shell waiting. */
export function runCommand(w: World, net: Net, argv: string[], redirect: ScriptLine['redirect'], lineNo: number): number {
  const ctx = makeCtx(w, net, lineNo);
  const cmd = argv[0];
  const err = (msg: string) => {
    writeErr(w, msg);
    return 127;
  };
  if (redirect) {
    if (cmd !== 'echo')
      return err(`skbwalk: line ${lineNo}: output redirection is only supported for "echo VALUE > /proc/sys/..."`);
    return procSysWrite(ctx, redirect.path, argv.slice(1).join(' '), lineNo);
  }
  switch (cmd) {
    case 'ip':
      return ip_main(ctx, argv);
    case 'ifconfig':
      return ifconfig_main(ctx, argv);
    case 'sysctl':
      return sysctl_main(ctx, argv);
    case 'echo':
      writeOut(w, argv.slice(1).join(' ') + '\n');
      return 0;
    case 'true':
    case ':':
      return 0;
    case 'false':
      return 1;
    case 'sleep': {
      const s = argv[1];
      if (!s || !/^\d*\.?\d+$/.test(s)) {
        writeErr(w, s ? `sleep: invalid time interval '${s}'` : 'sleep: missing operand');
        return 1;
      }
      sleepFor(w, Math.round(parseFloat(s) * 1e9));
      return 0;
    }
    case 'ping': {
      openTraceWindow(w);
      // Everything ping prints, standard error included, also goes to ping.txt.
      const pingCtx: ToolContext = {
        ...ctx,
        stdout: (l) => writeOut(w, l + '\n', true),
        stderr: (l) => writeErr(w, l, true),
      };
      const r = pingStart(pingCtx, argv);
      if (typeof r === 'number') {
        closeTraceWindow(w);
        return r;
      }
      if (!r.done) w.shell.waitingFor = r.pid;
      else closeTraceWindow(w);
      return 0;
    }
    case 'tcpdump': {
      const r = tcpdumpStart(ctx, argv);
      if (r.wait) sleepFor(w, r.wait);
      return r.status;
    }
    default:
      return err(`skbwalk: line ${lineNo}: ${cmd}: command not supported by skbwalk (it runs ${SUPPORTED})`);
  }
}

/** Runs script lines until one blocks or the script ends. */
/**
 * Runs the next script line, if the shell is free. One line per call, so the
 * runner can checkpoint between the commands of a long setup.
 * Returns whether a line ran.
 */
export function shellStep(w: World, script: ScriptLine[]): boolean {
  const sh = w.shell;
  if (sh.done || sh.waitingFor !== 0) return false;
  if (sh.pc >= script.length) {
    sh.done = true;
    return false;
  }
  const line = script[sh.pc++];
  sh.line = line.line;
  const out = w.out;
  const record = out.muted
    ? null
    : { line: line.line, col: line.col, step: w.rec.count, terminalStart: out.terminal.length, status: 0, errors: [] };
  if (record) out.commands.push(record);
  if (line.error) {
    for (const l of line.error.split('\n')) writeErr(w, l);
    sh.lastStatus = 2;
  } else if (line.argv.length) {
    sh.lastStatus = runCommand(w, netByUid(w, w.nets[0].uid), line.argv, line.redirect, line.line);
  }
  if (record) record.status = sh.lastStatus;
  return true;
}
