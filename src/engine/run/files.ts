// The files of a run, as the kernel-trace recorder writes them for the real
// kernel: terminal.txt, trace.txt, ping.txt, tcpdump-N-DEV.txt and .pcap.
import type { Run } from './run.ts';
import { type TraceText, traceFile } from './trace_txt.ts';
import { terminalText } from './terminal.ts';
import { formatCapture } from '../output/tcpdump.ts';
import { writePcap } from '../output/pcap.ts';
import { normalizePing, normalizeTcpdump, normalizeTerminal, scriptWords } from '../output/normalize.ts';

/** The script's words: addresses and ports it names stay as they are in the files (the recorder's rule). */
export function runWords(run: Run): Set<string> {
  return scriptWords(run.script.map((l) => l.text).join('\n'));
}

/**
 * The files by name. trace.txt, tens of megabytes for a flood, is made as
 * bytes; or, given `streamed`, the run's trace.txt was made as it went (the
 * CLI writes it to its file slice by slice) and the map leaves it out.
 */
export function writeRunFiles(run: Run, streamed?: TraceText): Map<string, string | Uint8Array> {
  const files = new Map<string, string | Uint8Array>();
  const words = runWords(run);
  let tracePorts: Set<string>;
  if (streamed) tracePorts = streamed.ports;
  else {
    const trace = traceFile(run, words);
    files.set('trace.txt', trace.bytes);
    tracePorts = trace.ports;
  }
  // The ports the kernel picked: UDP's (as it bound them) and those TCP's events show.
  const picked = new Set([...run.rec.pickedPorts.map(String).filter((p) => !words.has(p)), ...tracePorts]);
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
