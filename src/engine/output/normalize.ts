// The normalizations the reference recorder (kernel-trace) applies to what a
// real run printed, so that two runs of one scenario agree: ping times masked,
// MAC addresses, ICMP ids, ports the kernel picked and TCP's random sequence
// numbers replaced by labels, timestamps dropped. These
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
const NUMBER = new RegExp(`${NOT_WORD_BEFORE}${DIGIT}+${NOT_WORD_AFTER}`, 'gu');
const TCP = new RegExp(`([${DIGIT}.]+)\\.(${DIGIT}+) > ([${DIGIT}.]+)\\.(${DIGIT}+): Flags \\[([^\\]]*)\\]`, 'u');
const TCP_SEQ = new RegExp(`(, (?:seq|ack) )(${DIGIT}+)(?::(${DIGIT}+))?`, 'gu');
const TCP_TS = new RegExp(`TS val ${DIGIT}+ ecr (${DIGIT}+)`, 'gu');
const ADDR_PORT = new RegExp(
  `${NOT_WORD_BEFORE}(${DIGIT}+\\.${DIGIT}+\\.${DIGIT}+\\.${DIGIT}+)\\.(${DIGIT}+)${NOT_WORD_AFTER}`,
  'gu',
);
const PROTO_PORT = new RegExp(`${NOT_WORD_BEFORE}(tcp|udp) port (${DIGIT}+)`, 'gu');

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

/** The script's words (device names, addresses, ports it names), as kernel-trace collects them. */
export function scriptWords(script: string): Set<string> {
  return new Set(script.match(/[\p{L}\p{N}_.@-]+/gu) ?? []);
}

/** Ports not named in the script (the kernel picked them) -> P1, P2, ... by first appearance; 0 stays. */
export function portLabeller(words: ReadonlySet<string>): (port: string) => string {
  const ports = new Map<string, string>();
  return (p) => {
    if (p === '0' || words.has(p)) return p;
    let label = ports.get(p);
    if (label === undefined) {
      label = `P${ports.size + 1}`;
      ports.set(p, label);
    }
    return label;
  };
}

/**
 * TCP starts each direction at a random sequence number: the first of each
 * flow becomes S1, S2, ...; a value just above one seen before is written
 * from it (S1+1). 0 stays 0.
 */
function seqLabeller(): (value: string) => string {
  const bases: number[] = [];
  return (value) => {
    const v = Number(value);
    if (v === 0) return '0';
    for (let i = 0; i < bases.length; i++) {
      const d = (((v - bases[i]) % 2 ** 32) + 2 ** 32) % 2 ** 32;
      if (d < 2 ** 16) return `S${i + 1}` + (v !== bases[i] ? `+${d}` : '');
    }
    bases.push(v);
    return `S${bases.length}`;
  };
}

/** ping's output with its times masked (`time=T ms`, `time Tms`, `rtt ... = T/T/T/T ms`). */
export function normalizePing(text: string): string {
  return text
    .replace(PING_TIME, 'time=T ms')
    .replace(PING_TOTAL, 'time Tms')
    .replace(PING_RTT, 'rtt min/avg/max/mdev = T/T/T/T ms');
}

/**
 * What the script printed: ping times masked, MACs as labels, and the
 * `ports` the kernel picked (see ephemeralPorts) as P1, P2, ...
 */
export function normalizeTerminal(
  text: string,
  words: ReadonlySet<string> = new Set(),
  ports: ReadonlySet<string> = new Set(),
): string {
  const mac = macLabeller();
  const port = portLabeller(words);
  return joinLines(
    splitLinesPy(normalizePing(text)).map((line) => line.replace(MAC, mac).replace(NUMBER, (n) => (ports.has(n) ? port(n) : n))),
  );
}

/**
 * `tcpdump -nn -e` text: leading timestamps dropped, MACs and ICMP ids
 * (`id N` -> `id I1`, ...) as labels, lines with " igmp " left out; ports
 * the script does not name as P1, ..., TCP's absolute sequence numbers as
 * S1, ... and its timestamp values as T.
 */
export function normalizeTcpdump(text: string, words: ReadonlySet<string> = new Set()): string {
  const mac = macLabeller();
  const port = portLabeller(words);
  const seq = seqLabeller();
  const flows = new Set<string>();
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
    const tcp = TCP.exec(line);
    if (tcp) {
      // tcpdump prints a flow's numbers relative to its first ACK-bearing packet (the SYN-ACK),
      // absolute on that one, on a SYN and on packets without ACK.
      const [, a, p, b, q, flags] = tcp;
      const flow = [`${a} ${p}`, `${b} ${q}`].sort().join(' ');
      const absolute = !flags.includes('.') || flags.includes('S') || !flows.has(flow);
      if (flags.includes('.')) flows.add(flow);
      if (absolute)
        line = line.replace(TCP_SEQ, (_m, head: string, v: string, end?: string) => head + seq(v) + (end ? ':' + seq(end) : ''));
      line = line.replace(TCP_TS, (_m, ecr: string) => 'TS val T ecr ' + (ecr === '0' ? '0' : 'T'));
    }
    line = line.replace(ADDR_PORT, (_m, addr: string, p: string) => `${addr}.${port(p)}`);
    line = line.replace(PROTO_PORT, (_m, proto: string, p: string) => `${proto} port ${port(p)}`);
    out.push(line);
  }
  return joinLines(out);
}
