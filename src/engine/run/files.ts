// The files of a run, as the kernel-trace recorder writes them for the real
// kernel: terminal.txt, trace.txt, ping.txt, tcpdump-N-DEV.txt and .pcap.
import type { Run } from './run.ts';
import { traceLines } from './trace_txt.ts';
import { terminalText } from './terminal.ts';
import { formatCapture } from '../output/tcpdump.ts';
import { writePcap } from '../output/pcap.ts';
import { normalizePing, normalizeTcpdump, normalizeTerminal, portLabeller, scriptWords } from '../output/normalize.ts';

const TCP_EVENT =
  /^(?:task|softirq) (?:inet_sock_set_state|tcp_send_reset|tcp_receive_reset|tcp_retransmit_skb) .*?src=([\d.]+):(\d+) dst=([\d.]+):(\d+)/;

/**
 * The recorder's rules for TCP's events: a socket whose addresses the script
 * does not name is another process's (a listener's own transitions, with
 * remote 0.0.0.0, among them), and the ports the kernel picked become P1, ...
 * by first appearance. Returns the lines kept and those ports.
 */
export function normalizeTraceTcp(lines: string[], words: ReadonlySet<string>): { lines: string[]; ports: Set<string> } {
  const port = portLabeller(words);
  const ports = new Set<string>();
  const out: string[] = [];
  for (const line of lines) {
    const m = TCP_EVENT.exec(line);
    if (m) {
      if (!words.has(m[1]) || !words.has(m[3])) continue;
      for (const p of [m[2], m[4]]) if (p !== '0' && !words.has(p)) ports.add(p);
    }
    out.push(line.replace(/(=[\d.]+):(\d+)/g, (_m, a: string, p: string) => `${a}:${port(p)}`));
  }
  return { lines: out, ports };
}

export function writeRunFiles(run: Run): Map<string, string | Uint8Array> {
  const files = new Map<string, string | Uint8Array>();
  // The script's words: addresses and ports it names stay as they are (the recorder's rule).
  const words = scriptWords(run.script.map((l) => l.text).join('\n'));
  const trace = normalizeTraceTcp(traceLines(run), words);
  files.set('trace.txt', trace.lines.length ? trace.lines.join('\n') + '\n' : '');
  // The ports the kernel picked: UDP's (as it bound them) and those TCP's events show.
  const picked = new Set([...run.rec.pickedPorts.map(String).filter((p) => !words.has(p)), ...trace.ports]);
  files.set('terminal.txt', normalizeTerminal(terminalText(run.out.terminal, run.out.termPartial.text), words, picked));
  files.set('ping.txt', normalizePing(terminalText(run.out.ping, run.out.pingPartial.text)));
  for (const cap of run.out.captures) {
    const stem = `tcpdump-${cap.index}-${cap.devName}`;
    const lines = formatCapture(cap, { numeric: true, ethernet: true, timestamps: false });
    files.set(`${stem}.txt`, normalizeTcpdump(lines.map((l) => l + '\n').join(''), words));
    files.set(`${stem}.pcap`, writePcap(cap));
  }
  return files;
}
