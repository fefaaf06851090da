// procps `sysctl` and writes to /proc/sys (`echo V > /proc/sys/...`): the
// programs' side. The files, their proc handlers and what a write changes
// are the kernel's (fs/proc/proc_sysctl.ts and the tables of devinet,
// neighbour, sysctl_net_ipv4 and sysctl_net_core); these programs reach them
// through stat, read, write and readdir as the real ones do.
import type { ToolContext, ToolMain } from './tool.ts';
import { EACCES, EINVAL, ENOENT, strerror } from '../include/errno.ts';
import { proc_sys_read, proc_sys_readdir, proc_sys_stat, proc_sys_write } from '../fs/proc/proc_sysctl.ts';

/** Keys procps leaves out of a directory listing (it prints them only when asked by name). */
const DEPRECATED = new Set(['base_reachable_time', 'retrans_time']);

/** Reads /proc/sys/... for `cat`-like use: the file's text without its newline, or an errno. */
export function procSysRead(ctx: ToolContext, path: string): { ok: true; value: string } | { ok: false; errno: number } {
  const parts = procSysParts(path);
  if (!parts) return { ok: false, errno: ENOENT };
  const r = proc_sys_read(ctx.w, ctx.net, parts);
  return typeof r === 'string' ? { ok: true, value: r } : { ok: false, errno: -r };
}

function procSysParts(path: string): string[] | null {
  const comps = path.split('/').filter((x) => x !== '' && x !== '.');
  if (!path.startsWith('/') || comps[0] !== 'proc' || comps[1] !== 'sys') return null;
  return comps.slice(2);
}

/** echo's own options at the front of its arguments (-n, -e, -E and combinations). */
function stripEchoOptions(value: string): { text: string; newline: boolean } {
  const words = value.split(' ');
  let newline = true;
  let i = 0;
  while (i < words.length && /^-[neE]+$/.test(words[i])) {
    if (words[i].includes('n')) newline = false;
    i++;
  }
  return { text: words.slice(i).join(' '), newline };
}

/**
 * `echo VALUE > PATH` (or >>) run by the script's bash at line `lineNo`.
 * `value` is echo's arguments joined by spaces. Returns the exit status.
 */
export function procSysWrite(ctx: ToolContext, path: string, value: string, lineNo: number): number {
  const where = `bash: line ${lineNo}: `;
  if (path === '/dev/null') return 0;
  const parts = procSysParts(path);
  if (!parts) {
    ctx.stderr(`skbwalk: line ${lineNo}: writing to ${path} is not supported (only /proc/sys/... files)`);
    return 1;
  }
  const kind = proc_sys_stat(ctx.w, ctx.net, parts);
  if (kind === -ENOENT) {
    ctx.stderr(`${where}${path}: ${strerror(ENOENT)}`);
    return 1;
  }
  if (kind === 'dir') {
    ctx.stderr(`${where}${path}: Is a directory`);
    return 1;
  }
  if (path.endsWith('/')) {
    ctx.stderr(`${where}${path}: Not a directory`);
    return 1;
  }
  const { text, newline } = stripEchoOptions(value);
  const err = -proc_sys_write(ctx.w, ctx.net, parts, text + (newline ? '\n' : ''));
  if (err === EACCES) {
    ctx.stderr(`${where}${path}: Permission denied`);
    return 1;
  }
  if (err) {
    ctx.stderr(`${where}echo: write error: ${strerror(err)}`);
    return 1;
  }
  return 0;
}

// ---- the sysctl program (procps-ng 4.0) ------------------------------------------

/** procps's slashdot(): the first separator decides; otherwise '.' and '/' swap. */
function slashdot(name: string, old: string, neu: string): { text: string; repeated: string | null } {
  const first = name.search(/[./]/);
  if (first < 0 || name[first] === neu) return { text: name, repeated: null };
  let repeated: string | null = null;
  const chars = name.split('');
  for (let i = first; i < chars.length; i++) {
    const ch = name[i];
    if (ch !== '.' && ch !== '/') continue;
    const nx = name[i + 1];
    if ((nx === '.' || nx === '/') && repeated === null) repeated = name.slice(i);
    if (ch === old) chars[i] = neu;
    else if (ch === neu) chars[i] = old;
  }
  return { text: chars.join(''), repeated };
}

const SYSCTL_USAGE = [
  '',
  'Usage:',
  ' sysctl [options] [variable[=value] ...]',
  '',
  'Options:',
  '  -a, --all            display all variables',
  '  -A                   alias of -a',
  '  -X                   alias of -a',
  '      --deprecated     include deprecated parameters to listing',
  '      --dry-run        Print the key and values but do not write',
  '  -b, --binary         print value without new line',
  '  -e, --ignore         ignore unknown variables errors',
  '  -N, --names          print variable names without values',
  '  -n, --values         print only values of the given variable(s)',
  '  -p, --load[=<file>]  read values from file',
  '  -f                   alias of -p',
  '      --system         read values from all system directories',
  '  -r, --pattern <expression>',
  '                       select setting that match expression',
  '  -q, --quiet          do not echo variable set',
  '  -w, --write          enable writing a value to variable',
  '  -o                   does nothing',
  '  -x                   does nothing',
  '  -d                   alias of -h',
  '',
  ' -h, --help     display this help and exit',
  ' -V, --version  output version information and exit',
  '',
  'For more details see sysctl(8).',
];

interface SysctlOpts {
  write: boolean;
  quiet: boolean;
  valuesOnly: boolean;
  namesOnly: boolean;
  ignore: boolean;
  dryRun: boolean;
}

export const sysctl_main: ToolMain = (ctx, argv) => {
  const o: SysctlOpts = { write: false, quiet: false, valuesOnly: false, namesOnly: false, ignore: false, dryRun: false };
  const args: string[] = [];
  let onlyArgs = false;
  const longOpts: Record<
    string,
    keyof SysctlOpts | 'all' | 'help' | 'version' | 'load' | 'system' | 'binary' | 'deprecated' | 'pattern'
  > = {
    '--write': 'write',
    '--quiet': 'quiet',
    '--values': 'valuesOnly',
    '--names': 'namesOnly',
    '--ignore': 'ignore',
    '--dry-run': 'dryRun',
    '--all': 'all',
    '--help': 'help',
    '--version': 'version',
    '--load': 'load',
    '--system': 'system',
    '--binary': 'binary',
    '--deprecated': 'deprecated',
    '--pattern': 'pattern',
  };
  const unsupported = (what: string) => {
    ctx.stderr(`skbwalk: sysctl ${what} is not supported by skbwalk (name the keys to read or write)`);
    return 1;
  };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (onlyArgs || !a.startsWith('-') || a === '-') {
      args.push(a);
      continue;
    }
    if (a === '--') {
      onlyArgs = true;
      continue;
    }
    if (a.startsWith('--')) {
      const name = a.split('=')[0];
      const hits = Object.keys(longOpts).filter((k) => k.startsWith(name));
      const exact = Object.hasOwn(longOpts, name) ? longOpts[name] : undefined;
      const opt = exact ?? (hits.length === 1 ? longOpts[hits[0]] : undefined);
      if (!opt) {
        ctx.stderr(hits.length > 1 ? `sysctl: option '${a}' is ambiguous` : `sysctl: unrecognized option '${a}'`);
        for (const l of SYSCTL_USAGE) ctx.stdout(l);
        return 0;
      }
      if (opt === 'all' || opt === 'load' || opt === 'system' || opt === 'pattern' || opt === 'binary' || opt === 'deprecated')
        return unsupported(a);
      if (opt === 'help') {
        for (const l of SYSCTL_USAGE) ctx.stdout(l);
        return 0;
      }
      if (opt === 'version') {
        ctx.stdout('sysctl from procps-ng 4.0.2');
        return 0;
      }
      o[opt] = true;
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const ch = a[j];
      switch (ch) {
        case 'w':
          o.write = true;
          break;
        case 'q':
          o.quiet = true;
          break;
        case 'n':
          o.valuesOnly = true;
          break;
        case 'N':
          o.namesOnly = true;
          break;
        case 'e':
          o.ignore = true;
          break;
        case 'o':
        case 'x':
          break;
        case 'a':
        case 'A':
        case 'X':
          return unsupported(`-${ch}`);
        case 'p':
        case 'f':
        case 'r':
        case 'b':
          return unsupported(`-${ch}`);
        case 'h':
        case 'd':
          for (const l of SYSCTL_USAGE) ctx.stdout(l);
          return 0;
        case 'V':
          ctx.stdout('sysctl from procps-ng 4.0.2');
          return 0;
        default:
          ctx.stderr(`sysctl: invalid option -- '${ch}'`);
          for (const l of SYSCTL_USAGE) ctx.stdout(l);
          return 0;
      }
    }
  }
  if (args.length === 0) {
    if (argv.length === 1) {
      for (const l of SYSCTL_USAGE) ctx.stderr(l);
      return 1;
    }
    ctx.stderr('sysctl: no variables specified');
    ctx.stderr("Try `sysctl --help' for more information.");
    return 1;
  }
  let status = 0;
  for (const a of args) {
    if (o.write || a.includes('=')) status |= writeSetting(ctx, o, a);
    else status += readSetting(ctx, o, a);
  }
  return status;
};

function resolveKey(
  ctx: ToolContext,
  name: string,
): { kind: 'file' | 'dir' | null; parts: string[]; path: string; display: string } {
  const sd = slashdot(name, '.', '/');
  if (sd.repeated !== null) ctx.stderr(`sysctl: separators should not be repeated: ${sd.repeated}`);
  const path = '/proc/sys/' + sd.text;
  const display = slashdot(name, '/', '.').text;
  const parts = sd.text.split('/').filter((p) => p !== '');
  const kind = proc_sys_stat(ctx.w, ctx.net, parts);
  return { kind: typeof kind === 'number' ? null : kind, parts, path, display };
}

function readSetting(ctx: ToolContext, o: SysctlOpts, name: string): number {
  const { kind, parts, path, display } = resolveKey(ctx, name);
  if (!kind) {
    if (o.ignore) return 0;
    ctx.stderr(`sysctl: cannot stat ${path}: ${strerror(ENOENT)}`);
    return 1;
  }
  if (kind === 'dir') {
    // Only net.ipv4.conf.X is listed whole: elsewhere skbwalk does not model every key.
    const ok = /^net[./]ipv4[./](conf|neigh)[./][^./]+[./]?$/.test(name);
    if (!ok) {
      ctx.stderr(`skbwalk: sysctl can list only net.ipv4.conf.DEV and net.ipv4.neigh.DEV as directories; name the keys to read`);
      return 1;
    }
    const base = display.replace(/\.$/, '');
    const children = proc_sys_readdir(ctx.w, ctx.net, parts);
    for (const child of typeof children === 'number' ? [] : children) {
      if (DEPRECATED.has(child)) continue;
      const value = proc_sys_read(ctx.w, ctx.net, [...parts, child]);
      if (typeof value === 'string') printValue(ctx, o, `${base}.${child}`, value);
    }
    return 0;
  }
  const value = proc_sys_read(ctx.w, ctx.net, parts);
  if (typeof value === 'string') printValue(ctx, o, display, value);
  return 0;
}

function printValue(ctx: ToolContext, o: SysctlOpts, display: string, value: string): void {
  if (o.namesOnly) ctx.stdout(display);
  else if (o.valuesOnly) ctx.stdout(value);
  else ctx.stdout(`${display} = ${value}`);
}

function writeSetting(ctx: ToolContext, o: SysctlOpts, setting: string): number {
  // procps parses a command-line setting like a line of sysctl.conf: blanks,
  // comments and one-character lines are skipped (but still fail).
  const t = setting.replace(/^[ \t]+/, '');
  if (t.length < 2 || t[0] === '#' || t[0] === ';') return 1;
  const eq = t.indexOf('=');
  if (eq < 0) {
    ctx.stderr('sysctl: command line(0): invalid syntax, continuing...');
    return 1;
  }
  const name = t.slice(0, eq).trim();
  const value = t.slice(eq + 1).trim();
  if (name === '') {
    ctx.stderr('sysctl: Path is not under /proc/sys/: /proc/sys/');
    return 1;
  }
  const { kind, parts, path, display } = resolveKey(ctx, name);
  if (!kind) {
    if (o.ignore) return 0;
    ctx.stderr(`sysctl: cannot stat ${path}: ${strerror(ENOENT)}`);
    return 1;
  }
  if (kind === 'dir') {
    // procps reports the directory as EINVAL and (oddly) still exits 0.
    ctx.stderr(`sysctl: setting key "${display}": ${strerror(EINVAL)}`);
    return 0;
  }
  if (!o.dryRun) {
    const err = -proc_sys_write(ctx.w, ctx.net, parts, value + '\n');
    if (err) {
      ctx.stderr(`sysctl: setting key "${display}": ${strerror(err === EACCES ? EINVAL : err)}`);
      return 1;
    }
  }
  if (!o.quiet) {
    if (o.namesOnly || o.valuesOnly) ctx.stdout(value);
    else ctx.stdout(`${display} = ${value}`);
  }
  return 0;
}
