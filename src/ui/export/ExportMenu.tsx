// "Download": the run's files to take to real tools — each capture as pcap,
// all of them as one pcapng (Wireshark, tshark), trace.txt and the terminal as
// `skbwalk run` writes them, the diagram as SVG and PNG, and the scenario as a
// shell script for a real Linux machine.
import { useEffect, useMemo, useRef, useState } from 'react';
import { fetchRunExports, useExplorer } from '../store.ts';
import { deferred } from '../afterFirstView.ts';
import { downloadBlob, downloadBytes, downloadText, slug } from './download.ts';

// What only a download needs (the diagram's serializer, the script writer and
// its lexer) comes after the first view, or when a download asks for it.
const diagramImage = deferred(() => import('./diagramImage.ts'));
const shellScript = deferred(() => import('./shellScript.ts'));

type Item = {
  key: string;
  /** The file's name (of the diagram at the step on display: named when asked, see DiagramFileName). */
  label: string | ((step: number) => string);
  detail?: string;
  action: () => Promise<string>;
};

/** The step on display, when a download is asked for. */
const stepNow = () => useExplorer.getState().view?.step ?? 0;

const labelOf = (item: Item, step: number) => (typeof item.label === 'string' ? item.label : item.label(step));

/**
 * A file name that follows the step on display: only this text is drawn again
 * at each step, not the whole menu (which is closed most of the time).
 */
function StepFileName({ item }: { item: Item }) {
  const step = useExplorer((s) => s.view?.step ?? 0);
  return <>{labelOf(item, step)}</>;
}

export function ExportMenu() {
  const summary = useExplorer((s) => s.summary);
  const loadedText = useExplorer((s) => s.loadedText);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const details = useRef<HTMLDetailsElement>(null);

  // Close on Escape or a click elsewhere, as a menu does.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && details.current?.open) {
        details.current.open = false;
        details.current.querySelector('summary')?.focus();
      }
    };
    const onClick = (e: MouseEvent) => {
      if (details.current?.open && !details.current.contains(e.target as Node)) details.current.open = false;
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('click', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('click', onClick);
    };
  }, []);

  // The file names' stem: made once a run, not at every step the menu follows.
  const name = useMemo(() => slug(summary?.title ?? ''), [summary]);
  const captures = summary?.captures ?? [];
  const items: Item[] = [
    ...captures.map((c) => ({
      key: `pcap-${c.index}`,
      label: `tcpdump-${c.index}-${c.dev}.pcap`,
      detail: `capture on ${c.dev}${c.netName ? ` in ${c.netName}` : ''}, ${c.lines.count} packet${c.lines.count === 1 ? '' : 's'}`,
      action: async () => {
        const files = await fetchRunExports();
        const cap = files.captures.find((x) => x.index === c.index);
        if (!cap) throw new Error(`capture ${c.index} is not in this run`);
        downloadBytes(cap.fileName, cap.pcap, 'application/vnd.tcpdump.pcap');
        return cap.fileName;
      },
    })),
  ];
  if (captures.length) {
    items.push({
      key: 'pcapng',
      label: `${name}.pcapng`,
      detail: `all ${captures.length} capture${captures.length === 1 ? '' : 's'}, an interface each`,
      action: async () => {
        const files = await fetchRunExports();
        if (!files.pcapng) throw new Error('this run has no capture');
        downloadBytes(`${name}.pcapng`, files.pcapng, 'application/x-pcapng');
        return `${name}.pcapng`;
      },
    });
  }
  items.push(
    {
      key: 'trace',
      label: 'trace.txt',
      detail: 'the kernel tracepoints, as skbwalk run writes them',
      action: async () => {
        downloadText('trace.txt', (await fetchRunExports()).trace);
        return 'trace.txt';
      },
    },
    {
      key: 'terminal',
      label: 'terminal.txt',
      detail: 'everything the script printed',
      action: async () => {
        downloadText('terminal.txt', (await fetchRunExports()).terminal);
        return 'terminal.txt';
      },
    },
    {
      key: 'svg',
      label: (step) => `${name}-step-${step}.svg`,
      detail: 'the diagram at this step',
      action: async () => {
        const file = `${name}-step-${stepNow()}.svg`;
        const { findDiagram, serializeDiagram } = await diagramImage.load();
        const svg = findDiagram();
        if (!svg) throw new Error('there is no diagram on the page');
        downloadText(file, serializeDiagram(svg).svg, 'image/svg+xml');
        return file;
      },
    },
    {
      key: 'png',
      label: (step) => `${name}-step-${step}.png`,
      detail: 'the diagram at this step, twice its size on screen',
      action: async () => {
        const file = `${name}-step-${stepNow()}.png`;
        const { diagramPng, findDiagram, serializeDiagram } = await diagramImage.load();
        const svg = findDiagram();
        if (!svg) throw new Error('there is no diagram on the page');
        downloadBlob(file, await diagramPng(serializeDiagram(svg)));
        return file;
      },
    },
    {
      key: 'script',
      label: `${name}.sh`,
      detail: 'the scenario as a script for a real Linux machine',
      action: async () => {
        if (loadedText === null) throw new Error('no scenario has run yet');
        const { realMachineScript } = await shellScript.load();
        downloadText(`${name}.sh`, realMachineScript(loadedText, summary?.title || 'a skbwalk scenario'), 'text/x-shellscript');
        return `${name}.sh`;
      },
    },
  );

  const run = async (item: Item) => {
    const label = labelOf(item, stepNow());
    setBusy(true);
    setStatus(`Preparing ${label}…`);
    try {
      const file = await item.action();
      setStatus(`Downloaded ${file}.`);
      if (details.current) details.current.open = false;
    } catch (err) {
      setStatus(`Could not download ${label}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="export-menu">
      <details ref={details}>
        <summary aria-disabled={!summary} title="Download captures, traces, the diagram or the scenario">
          Download
        </summary>
        <ul aria-label="Downloads">
          {items.map((item) => (
            <li key={item.key}>
              <button type="button" disabled={!summary || busy} onClick={() => void run(item)}>
                <span className="export-name">{typeof item.label === 'string' ? item.label : <StepFileName item={item} />}</span>
                {item.detail && <span className="export-detail">{item.detail}</span>}
              </button>
            </li>
          ))}
        </ul>
      </details>
      <span className="export-status" aria-live="polite">
        {status}
      </span>
    </div>
  );
}
