// The Web Worker entry: owns one EngineSession and answers the UI's requests.
/// <reference lib="webworker" />
import type { EngineSession } from '../session.ts';
import { PROTOCOL_VERSION, type Request, type Response } from './protocol.ts';
import type { RunExports } from '../output/exports.ts';
import { summaryBuffers } from './transfer.ts';
import { startSession } from './startSession.ts';

/** The downloads' writers (pcap, pcapng, trace.txt), fetched the first time the reader asks for a download. */
let exportsModule: Promise<typeof import('../output/exports.ts')> | null = null;

let session: EngineSession | null = null;

function reply(r: Response, transfer: Transferable[] = []): void {
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(r, transfer);
}

self.onmessage = (e: MessageEvent<Request>) => {
  const req = e.data;
  if (!req || typeof req !== 'object' || req.v !== PROTOCOL_VERSION) {
    reply({
      v: PROTOCOL_VERSION,
      id: (req as { id?: number })?.id ?? -1,
      type: 'error',
      message: `protocol version mismatch (worker speaks v${PROTOCOL_VERSION})`,
    });
    return;
  }
  try {
    switch (req.type) {
      case 'load': {
        // Progress goes out between slices of the run; a cancel terminates this worker.
        const progress = (phase: 'simulating' | 'preparing', calls: number, limit: number) =>
          reply({ v: PROTOCOL_VERSION, id: req.id, type: 'progress', phase, calls, limit });
        session = null;
        startSession(req.scenario, req.seed, (calls, limit) => progress('simulating', calls, limit)).then(
          (s) => {
            session = s;
            progress('preparing', s.run.rec.calls, s.run.rec.limit);
            const summary = s.summary();
            // Everything large is a typed array, transferred rather than copied.
            reply({ v: PROTOCOL_VERSION, id: req.id, type: 'loaded', summary }, summaryBuffers(summary));
          },
          (err: unknown) =>
            reply({ v: PROTOCOL_VERSION, id: req.id, type: 'error', message: err instanceof Error ? err.message : String(err) }),
        );
        break;
      }
      case 'view':
        if (!session) throw new Error('no scenario loaded');
        reply({ v: PROTOCOL_VERSION, id: req.id, type: 'view', view: session.view(req.step, req.skb) });
        break;
      case 'export': {
        if (!session) throw new Error('no scenario loaded');
        const run = session.run;
        exportsModule ??= import('../output/exports.ts');
        exportsModule.then(
          ({ runExports }) => {
            const files: RunExports = runExports(run);
            const buffers = [...files.captures.map((c) => c.pcap.buffer), ...(files.pcapng ? [files.pcapng.buffer] : [])];
            reply({ v: PROTOCOL_VERSION, id: req.id, type: 'exported', files }, buffers as ArrayBuffer[]);
          },
          (err: unknown) => {
            exportsModule = null;
            reply({ v: PROTOCOL_VERSION, id: req.id, type: 'error', message: `could not load the exports: ${String(err)}` });
          },
        );
        break;
      }
      case 'find':
        if (!session) throw new Error('no scenario loaded');
        reply({
          v: PROTOCOL_VERSION,
          id: req.id,
          type: 'found',
          step:
            req.kind === 'query'
              ? session.findQuery(req.from, req.direction, req.query)
              : session.find(req.from, req.direction, req.kind, req.name),
        });
        break;
      case 'resolve':
        if (!session) throw new Error('no scenario loaded');
        reply({ v: PROTOCOL_VERSION, id: req.id, type: 'resolved', steps: session.resolve(req.anchors) });
        break;
    }
  } catch (err) {
    reply({ v: PROTOCOL_VERSION, id: req.id, type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
