// The normalizations the kernel-trace recorder applies to what the real tools
// printed, so two runs (and skbwalk and the kernel) can be compared line by
// line: ping times masked as T, MAC addresses labelled M1, M2... by first
// appearance in each file (broadcast and zero kept), ICMP ids labelled I1...,
// tcpdump timestamps removed and IGMP lines left out.

const MAC = /\b(?:[0-9a-f]{2}:){5}[0-9a-f]{2}\b/g;
const KEEP_MACS = new Set(['ff:ff:ff:ff:ff:ff', '00:00:00:00:00:00']);

function labeller(prefix: string, keep: Set<string> = new Set()): (s: string) => string {
  const seen = new Map<string, string>();
  return (s) => {
    if (keep.has(s)) return s;
    let label = seen.get(s);
    if (label === undefined) {
      label = `${prefix}${seen.size + 1}`;
      seen.set(s, label);
    }
    return label;
  };
}

function lines(text: string): string[] {
  const out = text.split('\n');
  if (out[out.length - 1] === '') out.pop();
  return out;
}

function join(out: string[]): string {
  return out.length ? out.join('\n') + '\n' : '';
}

export function normalizePing(text: string): string {
  return text
    .replace(/time=[\d.]+ ms/g, 'time=T ms')
    .replace(/time \d+ms/g, 'time Tms')
    .replace(/rtt min\/avg\/max\/mdev = \S+ ms/g, 'rtt min/avg/max/mdev = T/T/T/T ms');
}

export function normalizeTerminal(text: string): string {
  const mac = labeller('M', KEEP_MACS);
  return join(lines(normalizePing(text)).map((l) => l.replace(MAC, mac)));
}

export function normalizeTcpdump(text: string): string {
  const mac = labeller('M', KEEP_MACS);
  const id = labeller('I');
  return join(
    lines(text)
      .filter((l) => !l.includes(' igmp '))
      .map((l) => l.replace(/^\d\d:\d\d:\d\d\.\d+ /, '').replace(MAC, mac).replace(/\bid (\d+)/g, (_m, n: string) => `id ${id(n)}`)),
  );
}
