// The normalizations the reference recorder (kernel-trace) applies to what a
// real run printed, so that two runs of one scenario agree: ping times masked,
// MAC addresses and ICMP ids replaced by labels, timestamps dropped. These
// behave as kernel-trace's normalize_ping, normalize_terminal and
// normalize_tcpdump do on a Python str, including Python's regex semantics:
//   - `\d` is any Unicode decimal digit (category Nd), `\s` Python's Unicode
//     whitespace, and `\b` a boundary between Python word characters
//     (letters, numbers and `_`, in any script) and the rest;
//   - lines split as str.splitlines() splits them (\n, \r, \r\n, \v, \f,
//     \x1c-\x1e, \x85, U+2028, U+2029), and are joined with "\n" plus a final
//     "\n" when there is at least one line.
// (kernel-trace reads the program output in Python's text mode, which has
// already turned \r\n and \r into \n before these run.)

/** Python's `\w` for str patterns. */
const WORD = String.raw`[\p{L}\p{N}_]`;
const NOT_WORD_BEFORE = `(?<!${WORD})`;
const NOT_WORD_AFTER = `(?!${WORD})`;
/** Python's str.isspace() characters, i.e. `\s`. */
const PY_SPACE = String.raw`\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000`;
const DIGIT = String.raw`\p{Nd}`;

const MAC = new RegExp(`${NOT_WORD_BEFORE}(?:[0-9a-f]{2}:){5}[0-9a-f]{2}${NOT_WORD_AFTER}`, 'gu');
const KEEP_MACS = new Set(['ff:ff:ff:ff:ff:ff', '00:00:00:00:00:00']);

const PING_TIME = new RegExp(`time=[${DIGIT}.]+ ms`, 'gu');
const PING_TOTAL = new RegExp(`time ${DIGIT}+ms`, 'gu');
const PING_RTT = new RegExp(`rtt min/avg/max/mdev = [^${PY_SPACE}]+ ms`, 'gu');
const TIMESTAMP = new RegExp(`^${DIGIT}${DIGIT}:${DIGIT}${DIGIT}:${DIGIT}${DIGIT}\\.${DIGIT}+ `, 'u');
const ICMP_ID = new RegExp(`${NOT_WORD_BEFORE}id (${DIGIT}+)`, 'gu');

/** Python's str.splitlines(). */
export function splitLinesPy(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\r' && text[i + 1] === '\n') {
      lines.push(text.slice(start, i));
      i += 2;
      start = i;
    } else if ('\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029'.includes(c)) {
      lines.push(text.slice(start, i));
      i += 1;
      start = i;
    } else {
      i += 1;
    }
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

function joinLines(lines: string[]): string {
  return lines.join('\n') + (lines.length ? '\n' : '');
}

/** MAC -> M1, M2, ... by first appearance (one labeller per file); broadcast and zero MACs stay. */
export function macLabeller(): (mac: string) => string {
  const macs = new Map<string, string>();
  return (mac) => {
    if (KEEP_MACS.has(mac)) return mac;
    let label = macs.get(mac);
    if (label === undefined) {
      label = `M${macs.size + 1}`;
      macs.set(mac, label);
    }
    return label;
  };
}

/** ping's output with its times masked (`time=T ms`, `time Tms`, `rtt ... = T/T/T/T ms`). */
export function normalizePing(text: string): string {
  return text
    .replace(PING_TIME, 'time=T ms')
    .replace(PING_TOTAL, 'time Tms')
    .replace(PING_RTT, 'rtt min/avg/max/mdev = T/T/T/T ms');
}

/** What the script printed: ping times masked, MACs as labels. */
export function normalizeTerminal(text: string): string {
  const mac = macLabeller();
  return joinLines(splitLinesPy(normalizePing(text)).map((line) => line.replace(MAC, mac)));
}

/**
 * `tcpdump -nn -e` text: leading timestamps dropped, MACs and ICMP ids
 * (`id N` -> `id I1`, ...) as labels, lines with " igmp " left out.
 */
export function normalizeTcpdump(text: string): string {
  const mac = macLabeller();
  const ids = new Map<string, string>();
  const out: string[] = [];
  for (let line of splitLinesPy(text)) {
    if (line.includes(' igmp ')) continue;
    line = line.replace(TIMESTAMP, '');
    line = line.replace(MAC, mac);
    line = line.replace(ICMP_ID, (_m, n: string) => {
      let label = ids.get(n);
      if (label === undefined) {
        label = `I${ids.size + 1}`;
        ids.set(n, label);
      }
      return `id ${label}`;
    });
    out.push(line);
  }
  return joinLines(out);
}
