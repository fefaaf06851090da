// The skb panel's contents: the skb's fields, its decoded headers, a hex dump
// of the whole buffer and its life. Hovering a field highlights its bytes and
// hovering a byte highlights its field. Fetched after the first view, which
// shows no skb (SkbPanel.tsx draws the panel and its heading).
import { memo, useMemo } from 'react';
import { useExplorer } from '../store.ts';
import { decodeSkb, type Field, type Layer } from './decode.ts';
import { hexToBytes } from './hex.ts';
import { HexDump } from './HexDump.tsx';
import { SkbLife } from './SkbLife.tsx';
import type { SkbFocus, SkbView } from '../../engine/run/view.ts';
import type { SkbLifeEntry } from '../../engine/run/skblife.ts';

// The parts redraw only when the skb changed: a view shares an skb that did not
// change with the previous step's, so decoding, its tables and its hex dump
// are not made again at every step.
const SkbFields = memo(function SkbFields({ skb }: { skb: SkbView }) {
  const setHover = useExplorer.getState().setHover;
  const rows: [string, string, [number, number] | null][] = [
    ['dev', skb.dev ?? '(none)', null],
    ['protocol', skb.protocol, null],
    ['pkt_type', skb.pktType, null],
    ['len', String(skb.len), skb.len > 0 ? [skb.dataOffset, skb.tailOffset] : null],
    ['headroom', String(skb.headroom), skb.headroom > 0 ? [0, skb.headroom] : null],
    ['data/tail/end', `${skb.dataOffset}/${skb.tailOffset}/${skb.end}`, null],
    [
      'headers',
      [
        ['mac', skb.macHeader],
        ['network', skb.networkHeader],
        ['transport', skb.transportHeader],
      ]
        .map(([k, o]) => `${k} ${Number(o) >= 0 ? o : '–'}`)
        .join(' · '),
      null,
    ],
    ['state', skb.state, null],
  ];
  return (
    <dl className="skb-fields">
      {rows.map(([k, v, range]) => (
        <div
          key={k}
          className={[range ? 'hoverable' : '', k === 'headers' ? 'wide' : ''].filter(Boolean).join(' ') || undefined}
          onMouseEnter={range ? () => setHover({ start: range[0], end: range[1], label: k }) : undefined}
          onMouseLeave={range ? () => setHover(null) : undefined}
        >
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
});

const LayerTable = memo(function LayerTable({ layer }: { layer: Layer }) {
  const hover = useExplorer((s) => s.hover);
  const setHover = useExplorer.getState().setHover;
  const enter = (f: Field) => setHover({ start: f.start, end: f.end, label: `${layer.name} ${f.name}` });
  return (
    <table className={`layer layer-${layer.name.toLowerCase()}`}>
      <caption>
        {layer.name}{' '}
        <span className="muted">
          bytes {layer.start}–{layer.end - 1}
        </span>
      </caption>
      <tbody>
        {layer.fields.map((f) => {
          const on = hover !== null && hover.start === f.start && hover.end === f.end;
          return (
            <tr
              key={f.name}
              className={on ? 'hl' : undefined}
              onMouseEnter={() => enter(f)}
              onMouseLeave={() => setHover(null)}
              data-field={`${layer.name}.${f.name}`}
            >
              <th scope="row">{f.name}</th>
              <td>{f.value}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
});

/** Why the panel shows no buffer for the picked skb at this step. */
function absence(id: number, life: SkbLifeEntry[], step: number): string {
  const first = life[0];
  if (!first) return `The run has no skb #${id}.`;
  if (step < first.step) return `skb #${id} does not exist yet at this step: it is ${first.text} at step ${first.step}.`;
  const end = life.find((e) => e.kind === 'drop' || e.kind === 'consume');
  if (end && step > end.step)
    return `skb #${id} no longer exists at this step: it was ${end.text.split(' (')[0]} at step ${end.step}.`;
  return `skb #${id} is not held anywhere skbwalk can see at this step.`;
}

export function SkbDetails({ focus, step }: { focus: SkbFocus; step: number }) {
  const skb = focus.skb ?? null;
  const layers = useMemo(() => (skb ? decodeSkb(skb) : []), [skb]);
  const bytes = useMemo(() => (skb ? hexToBytes(skb.bytes) : new Uint8Array(0)), [skb]);
  const fields = useMemo(() => layers.flatMap((l) => l.fields.map((f) => ({ ...f, name: `${l.name} ${f.name}` }))), [layers]);
  return skb ? (
    <>
      <SkbFields skb={skb} />
      <div className="layers">
        {layers.length === 0 && <p className="muted">No headers built yet.</p>}
        {layers.map((l) => (
          <LayerTable key={`${l.name}@${l.start}`} layer={l} />
        ))}
      </div>
      <SkbLife id={focus.id} life={focus.life} step={step} />
      <HexDump bytes={bytes} data={skb.dataOffset} tail={skb.tailOffset} fields={fields} />
    </>
  ) : (
    <>
      <p className="muted skb-absent">{absence(focus.id, focus.life, step)}</p>
      <SkbLife id={focus.id} life={focus.life} step={step} />
    </>
  );
}
