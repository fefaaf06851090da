// The shell that runs a scenario script line by line, as `bash script.sh`
// would: a failing command prints its error and the script goes on.
import type { World } from '../kernel/world.ts';
import { register_exit_notifier, timer_setup } from '../kernel/sched.ts';
import type { Net } from '../include/net.ts';
import type { ScriptLine } from '../scenario/lexer.ts';
import { LAST_STATUS } from '../scenario/lexer.ts';
import type { ShellJob, Task } from '../include/sched.ts';
import type { ToolContext } from './tool.ts';
import { writeErr, writeOut, writePingLog } from '../run/terminal.ts';
import { netByUid } from '../net/core/net_namespace.ts';
import { ip_main } from './iproute2/ip.ts';
import { ifconfig_main } from './ifconfig.ts';
import { procSysWrite, sysctl_main } from './sysctl.ts';
import { pingStart } from './ping.ts';
import type { NcProc } from './nc.ts';
import { echoText, printfText } from './builtins.ts';
import { loaded_program } from './programs.ts';
import { tcpdumpStart } from './tcpdump.ts';
import { addTimer } from '../kernel/timer.ts';
import { closeTraceWindow, openTraceWindow } from '../run/windows.ts';

const SUPPORTED = 'ip, ifconfig, sysctl, echo ... > /proc/sys/..., ping, nc, ss, tcpdump, sleep, wait';

/**
 * How a command line runs: in the background (`&`), with what on its
 * standard input (`echo ... |`), and whether its standard output goes to
 * /dev/null (`> /dev/null`).
 */
export interface JobSpec {
  background: boolean;
  /** The echo or printf words whose output is the standard input, or null (/dev/null). */
  stdin: string[] | null;
  stdoutNull: boolean;
}

const FOREGROUND: JobSpec = { background: false, stdin: null, stdoutNull: false };

/** Where `> FILE` may point besides /proc/sys: the one file whose writes vanish. */
const DEV_NULL = '/dev/null';

function makeCtx(w: World, net: Net, lineNo: number, spec: JobSpec): ToolContext {
  const ctx: ToolContext = {
    w,
    net,
    stdout: spec.stdoutNull ? () => {} : (line) => writeOut(w, line + '\n'),
    stderr: (line) => writeErr(w, line),
    exec: (n, argv) => runCommand(w, n, argv, null, lineNo, spec),
  };
  return ctx;
}

/**
 * The kernel recorder traces an nc client for 0.2 s after it exits (what the
 * other end still does in answer), and prints the client's output then.
 */
export const NC_TRACE_TAIL_NS = 200_000_000;

// The shell's own timer ends a `sleep`.
timer_setup('shell', (w, t) => {
  if (w.shell.waitingFor === -1 && t.gen === w.shell.gen) w.shell.waitingFor = 0;
});

// The recorder's wrapper around a traced program ends `tailNs` after the program.
timer_setup('shell-job', (w, t) => {
  const job = w.shell.jobs.find((j) => j.pid === t.ref);
  if (job) finishJob(w, job);
});

// A program the shell started has exited.
register_exit_notifier((w, task) => {
  w.procs = w.procs.filter((x) => x !== task);
  jobExited(w, task);
});

/** The shell has started `task`; returns the command's status if it is already known (a foreground job that ended at once). */
function startJob(w: World, task: Task, spec: JobSpec, traced: boolean, buffered: boolean, tailNs: number): number {
  const job: ShellJob = {
    pid: task.pid,
    background: spec.background,
    traced,
    buffered,
    stdoutNull: spec.stdoutNull,
    tailNs,
    exited: null,
  };
  w.shell.jobs.push(job);
  if (!spec.background) w.shell.waitingFor = task.pid;
  if (task.done) {
    w.procs = w.procs.filter((x) => x !== task);
    jobExited(w, task);
    if (!spec.background && w.shell.waitingFor === 0) return task.exitCode;
  }
  return 0;
}

function jobExited(w: World, task: Task): void {
  const job = w.shell.jobs.find((j) => j.pid === task.pid);
  if (!job) return;
  job.exited = { out: job.buffered ? (task as NcProc).outBuf : '', status: task.exitCode };
  if (job.traced && job.tailNs > 0) addTimer(w, w.now + job.tailNs, 'shell-job', job.pid, 0);
  else finishJob(w, job);
}

/** The job (and its wrapper) is over: tracing stops, its output is shown, a waiting shell goes on. */
function finishJob(w: World, job: ShellJob): void {
  const sh = w.shell;
  sh.jobs = sh.jobs.filter((j) => j !== job);
  if (job.traced) closeTraceWindow(w);
  // The recorder's wrapper prints the client's output (standard error too) when it ends: `> /dev/null` takes it all.
  if (job.exited?.out && !job.stdoutNull) writeOut(w, job.exited.out);
  if (sh.waitingFor === job.pid) {
    sh.waitingFor = 0;
    sh.lastStatus = job.exited?.status ?? 0;
  } else if (sh.waitingFor === -2 && !sh.jobs.some((j) => j.background)) sh.waitingFor = 0;
}

/** The text `echo ...` or `printf ...` writes (to a pipe). */
function builtinOutput(w: World, argv: string[]): string {
  if (argv[0] === 'echo') return echoText(argv.slice(1));
  const r = printfText(argv.slice(1));
  if (r.error) writeErr(w, `bash: ${r.error}`);
  return r.text;
}

function sleepFor(w: World, ns: number): void {
  w.shell.waitingFor = -1;
  w.shell.gen++;
  addTimer(w, w.now + ns, 'shell', 0, w.shell.gen);
}

/** Runs one command in `net`. Blocking commands (ping, nc, sleep, tcpdump) set the shell waiting. */
export function runCommand(
  w: World,
  net: Net,
  argv: string[],
  redirect: ScriptLine['redirect'],
  lineNo: number,
  spec: JobSpec = FOREGROUND,
): number {
  // The command's process runs in `net` (ip netns exec): its syscalls are current's.
  const saved = w.currentNet;
  w.currentNet = net.uid;
  try {
    return runTool(w, net, argv, redirect, lineNo, spec);
  } finally {
    w.currentNet = saved;
  }
}

function runTool(w: World, net: Net, argv: string[], redirect: ScriptLine['redirect'], lineNo: number, spec: JobSpec): number {
  const ctx = makeCtx(w, net, lineNo, spec);
  const cmd = argv[0];
  const err = (msg: string) => {
    writeErr(w, msg);
    return 127;
  };
  if (redirect) {
    if (redirect.path === DEV_NULL) return runCommand(w, net, argv, null, lineNo, { ...spec, stdoutNull: true });
    if (cmd !== 'echo')
      return err(
        `skbwalk: line ${lineNo}: output redirection is only supported to /dev/null and for "echo VALUE > /proc/sys/..."`,
      );
    return procSysWrite(ctx, redirect.path, argv.slice(1).join(' '), lineNo);
  }
  switch (cmd) {
    case 'ip':
      return ip_main(ctx, argv);
    case 'ss':
      return loaded_program('ss').ss_main(ctx, argv);
    case 'ifconfig':
      return ifconfig_main(ctx, argv);
    case 'sysctl':
      return sysctl_main(ctx, argv);
    case 'echo':
      if (!spec.stdoutNull) writeOut(w, echoText(argv.slice(1)));
      return 0;
    case 'printf': {
      const r = printfText(argv.slice(1));
      if (!spec.stdoutNull) writeOut(w, r.text);
      if (r.error) writeErr(w, `bash: ${r.error}`);
      return r.status;
    }
    case 'wait':
      if (argv.length > 1)
        return err(`skbwalk: line ${lineNo}: wait takes no arguments here (it waits for every background job)`);
      if (w.shell.jobs.some((j) => j.background)) w.shell.waitingFor = -2;
      return 0;
    case 'nc': {
      const { ncIsListener, ncStart } = loaded_program('nc');
      // The recorder traces a client (not a listener), and shows its output when it is done.
      const traced = !ncIsListener(argv);
      if (traced) openTraceWindow(w);
      const stdin = spec.stdin ? builtinOutput(w, spec.stdin) : null;
      const p = ncStart(ctx, argv, { stdin, buffered: traced, stdoutNull: spec.stdoutNull });
      return startJob(w, p, spec, traced, traced, NC_TRACE_TAIL_NS);
    }
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
      // Everything ping prints, standard error included, also goes to ping.txt
      // (the recorder's wrapper sends both to its log, then to standard output).
      const pingCtx: ToolContext = spec.stdoutNull
        ? { ...ctx, stdout: (l) => writePingLog(w, l + '\n'), stderr: (l) => writePingLog(w, l + '\n') }
        : { ...ctx, stdout: (l) => writeOut(w, l + '\n', true), stderr: (l) => writeErr(w, l, true) };
      const r = pingStart(pingCtx, argv, spec.stdoutNull);
      if (typeof r === 'number') {
        closeTraceWindow(w);
        return r;
      }
      return startJob(w, r, spec, true, false, 0);
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
    // `$?`: the status of the last foreground command.
    const status = String(sh.lastStatus);
    const argv = line.argv.map((a) => (a.includes(LAST_STATUS) ? a.split(LAST_STATUS).join(status) : a));
    const spec: JobSpec = { background: line.background, stdin: line.stdin, stdoutNull: false };
    sh.lastStatus = runCommand(w, netByUid(w, w.nets[0].uid), argv, line.redirect, line.line, spec);
  }
  if (record) record.status = sh.lastStatus;
  return true;
}
