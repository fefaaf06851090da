// The terminal: what the scenario's commands have printed so far.
import { useEffect, useMemo, useRef } from 'react';
import { useExplorer } from '../store.ts';
import { Panel } from './Panel.tsx';

export function TerminalPanel() {
  const terminal = useExplorer((s) => s.summary?.terminal);
  const step = useExplorer((s) => s.view?.step ?? 0);
  const ref = useRef<HTMLPreElement>(null);
  const text = useMemo(() => {
    if (!terminal) return '';
    let out = '';
    for (const l of terminal) {
      if (l.step > step) continue;
      out += l.text.endsWith('\n') ? l.text : l.text + '\n';
    }
    return out;
  }, [terminal, step]);
  useEffect(() => {
    const body = ref.current?.closest('.panel-body');
    if (body) body.scrollTop = body.scrollHeight;
  }, [text]);
  return (
    <Panel id="terminal" label="Terminal">
      <pre className="terminal" ref={ref} aria-label="Terminal output">
        {text || '$ '}
      </pre>
    </Panel>
  );
}
