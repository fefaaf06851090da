// What the explorer offers to download from a run: the files a kernel record
// holds, made exactly as `skbwalk run` writes them (trace.txt, each capture's
// pcap), the terminal as the script printed it (real MAC addresses, not the
// record's labels), and every capture in one pcapng.
import type { Run } from '../run/run.ts';
import { writeRunFiles } from '../run/files.ts';
import { terminalText } from '../run/terminal.ts';
import { captureDescription, writePcapng } from './pcapng.ts';

export interface CaptureExport {
  index: number;
  dev: string;
  netName: string;
  /** `tcpdump-N-DEV.pcap`, as `skbwalk run` names it. */
  fileName: string;
  description: string;
  packets: number;
  pcap: Uint8Array;
}

export interface RunExports {
  /** trace.txt, as `skbwalk run` writes it. */
  trace: string;
  /** Everything the script printed, in order, as a terminal shows it. */
  terminal: string;
  captures: CaptureExport[];
  /** Every capture in one file, an interface per capture; null when the script has no tcpdump. */
  pcapng: Uint8Array | null;
}

export function runExports(run: Run): RunExports {
  const caps = run.out.captures;
  const files = writeRunFiles(run);
  return {
    trace: new TextDecoder().decode(files.get('trace.txt') as Uint8Array),
    terminal: terminalText(run.out.terminal, run.out.termPartial.text),
    captures: caps.map((cap) => {
      const fileName = `tcpdump-${cap.index}-${cap.devName}.pcap`;
      return {
        index: cap.index,
        dev: cap.devName,
        netName: cap.netName,
        fileName,
        description: captureDescription(cap),
        packets: cap.packets.length,
        pcap: files.get(fileName) as Uint8Array,
      };
    }),
    pcapng: caps.length ? writePcapng(caps) : null,
  };
}
