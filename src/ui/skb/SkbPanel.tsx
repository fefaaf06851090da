// The skb the reader picked (a token in the Topology), or else the one under
// the current call: the panel and its heading; what it holds (SkbDetails.tsx:
// fields, decoded headers, hex dump, life) is fetched after the first view,
// which shows none, or at once when an skb is shown before that.
import { useEffect, useMemo } from 'react';
import { useExplorer } from '../store.ts';
import { Panel } from '../components/Panel.tsx';
import { describeSkb } from './describe.ts';
import { deferred, useDeferred } from '../afterFirstView.ts';

const details = deferred(() => import('./SkbDetails.tsx'));

export function SkbPanel() {
  const focus = useExplorer((s) => s.view?.focus ?? null);
  const step = useExplorer((s) => s.view?.step ?? 0);
  const skb = focus?.skb ?? null;
  const what = useMemo(() => (skb ? describeSkb(skb).what : ''), [skb]);
  const detailsModule = useDeferred(details);
  useEffect(() => {
    if (focus && !detailsModule) void details.load().catch(() => undefined);
  }, [focus, detailsModule]);
  return (
    <Panel id="skb" label="skb" heading={focus ? `skb #${focus.id}${what ? ` · ${what}` : ''}` : undefined}>
      {!focus ? (
        <p className="muted">No skb in the current call. Pick a packet in the Topology to see it here.</p>
      ) : (
        <>
          <p className="skb-origin">
            {focus.picked ? (
              <>
                picked in the Topology{' '}
                <button type="button" className="linkish" onClick={() => useExplorer.getState().selectSkb(null)}>
                  Show the current call&apos;s skb
                </button>
              </>
            ) : (
              'the current call works on it'
            )}
          </p>
          {detailsModule ? (
            <detailsModule.SkbDetails focus={focus} step={step} />
          ) : (
            <p className="muted">Loading the skb&apos;s fields…</p>
          )}
        </>
      )}
    </Panel>
  );
}
