// The shell's own `echo` and `printf` (bash builtins): what they write, for
// the terminal or for the program a pipe feeds.

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  e: '\x1b',
  '\\': '\\',
};

/** Backslash escapes as echo -e and printf's %b (and its format) read them; `stop` is set by \c. */
function unescape(s: string, octalNeedsZero: boolean): { text: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const d = s[++i];
    if (d in ESCAPES) out += ESCAPES[d];
    else if (d === 'c') return { text: out, stop: true };
    else if (d === '0' || (!octalNeedsZero && d >= '1' && d <= '7')) {
      let j = d === '0' && octalNeedsZero ? i + 1 : i;
      let v = 0;
      const end = j + 3;
      while (j < end && j < s.length && s[j] >= '0' && s[j] <= '7') v = v * 8 + Number(s[j++]);
      out += String.fromCharCode(v & 0xff);
      i = j - 1;
    } else if (d === 'x' && /[0-9a-fA-F]/.test(s[i + 1] ?? '')) {
      let j = i + 1;
      let hex = '';
      while (j < i + 3 && /[0-9a-fA-F]/.test(s[j] ?? '')) hex += s[j++];
      out += String.fromCharCode(parseInt(hex, 16));
      i = j - 1;
    } else out += '\\' + d;
  }
  return { text: out, stop: false };
}

/** bash's echo: -n, -e, -E (only words made of those letters are options). */
export function echoText(args: string[]): string {
  let newline = true;
  let escapes = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (!/^-[neE]+$/.test(a)) break;
    for (const f of a.slice(1)) {
      if (f === 'n') newline = false;
      else if (f === 'e') escapes = true;
      else escapes = false;
    }
  }
  let text = args.slice(i).join(' ');
  if (escapes) {
    const u = unescape(text, true);
    if (u.stop) return u.text;
    text = u.text;
  }
  return newline ? text + '\n' : text;
}

export interface PrintfResult {
  text: string;
  /** What bash's printf says on standard error, if anything. */
  error: string | null;
  status: number;
}

/** bash's printf FORMAT [ARGS...]: the format is reused while arguments remain. */
export function printfText(args: string[]): PrintfResult {
  if (!args.length) return { text: '', error: 'printf: usage: printf [-v var] format [arguments]', status: 2 };
  const format = args[0];
  const rest = args.slice(1);
  let out = '';
  let error: string | null = null;
  let status = 0;
  let argi = 0;
  do {
    const startArgs = argi;
    let i = 0;
    while (i < format.length) {
      const c = format[i];
      if (c === '\\') {
        const seg = format.slice(i, i + 5);
        const m = /^\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/.exec(seg);
        const esc = m ? m[0] : '\\';
        const u = unescape(esc, false);
        out += u.text;
        if (u.stop) return { text: out, error, status };
        i += esc.length;
        continue;
      }
      if (c !== '%') {
        out += c;
        i++;
        continue;
      }
      const m = /^%([-+ #0]*)(\d+|\*)?(?:\.(\d+|\*))?([a-zA-Z%])/.exec(format.slice(i));
      if (!m) {
        out += c;
        i++;
        continue;
      }
      i += m[0].length;
      const [, flags, widthText, precText, conv] = m;
      if (conv === '%') {
        out += '%';
        continue;
      }
      const width = widthText === '*' ? Number(rest[argi++] ?? 0) : Number(widthText ?? 0);
      const prec = precText === undefined ? undefined : precText === '*' ? Number(rest[argi++] ?? 0) : Number(precText);
      const arg = rest[argi++];
      let piece: string;
      if (conv === 's') piece = prec !== undefined ? (arg ?? '').slice(0, prec) : (arg ?? '');
      else if (conv === 'b') {
        const u = unescape(arg ?? '', true);
        piece = u.text;
      } else if (conv === 'c') piece = (arg ?? '').slice(0, 1);
      else if ('diouxX'.includes(conv)) {
        const n = arg === undefined || arg === '' ? 0 : Number(arg);
        if (!Number.isFinite(n) || !Number.isInteger(n)) {
          error = `printf: ${arg}: invalid number`;
          status = 1;
          piece = '0';
        } else if (conv === 'x') piece = (n >>> 0).toString(16);
        else if (conv === 'X') piece = (n >>> 0).toString(16).toUpperCase();
        else if (conv === 'o') piece = (n >>> 0).toString(8);
        else piece = String(n);
        if (flags.includes('+') && n >= 0 && 'di'.includes(conv)) piece = '+' + piece;
      } else {
        error = `printf: %${conv}: invalid directive`;
        return { text: out, error, status: 1 };
      }
      if (piece.length < width) {
        const pad = (flags.includes('0') && !flags.includes('-') && conv !== 's' ? '0' : ' ').repeat(width - piece.length);
        piece = flags.includes('-') ? piece + pad : pad + piece;
      }
      out += piece;
    }
    if (argi === startArgs) break;
  } while (argi < rest.length);
  return { text: out, error, status };
}
