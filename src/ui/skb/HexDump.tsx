// A hex dump of the skb's whole buffer: headroom, data and tailroom shaded
// differently; the hovered field's bytes highlighted.
import { memo, type MouseEvent } from 'react';
import { useExplorer } from '../store.ts';
import type { Field } from './decode.ts';

const ROW = 16;
const MAX_BYTES = 8192;

const h2 = (v: number) => v.toString(16).padStart(2, '0');

interface Props {
  bytes: Uint8Array;
  data: number;
  tail: number;
  fields: Field[];
}

export const HexDump = memo(function HexDump({ bytes, data, tail, fields }: Props) {
  const hover = useExplorer((s) => s.hover);
  const setHover = useExplorer.getState().setHover;
  const n = Math.min(bytes.length, MAX_BYTES);
  const rows: number[] = [];
  for (let o = 0; o < n; o += ROW) rows.push(o);
  const onOver = (e: MouseEvent) => {
    const el = (e.target as HTMLElement).closest('[data-off]');
    if (!el) return;
    const off = Number(el.getAttribute('data-off'));
    const f = fields.find((x) => off >= x.start && off < x.end);
    if (f) setHover({ start: f.start, end: f.end, label: f.name });
    else if (off < data) setHover({ start: 0, end: data, label: 'headroom' });
    else if (off >= tail) setHover({ start: tail, end: bytes.length, label: 'tailroom' });
    else setHover({ start: off, end: off + 1, label: `byte ${off}` });
  };
  return (
    <div className="hexdump-wrap">
      <p className="hex-legend">
        <span className="hb headroom">headroom</span> <span className="hb in-data">data</span>{' '}
        <span className="hb tailroom">tailroom</span>
        <span className="hover-label">
          {hover
            ? `${hover.label} (${hover.end - hover.start === 1 ? `byte ${hover.start}` : `bytes ${hover.start}–${hover.end - 1}`})`
            : ''}
        </span>
      </p>
      <div className="hexdump" onMouseOver={onOver} onMouseLeave={() => setHover(null)} aria-label="Buffer bytes" role="group">
        {rows.map((o) => (
          <div key={o} className="hexrow">
            <span className="hexoff">{o.toString(16).padStart(4, '0')}</span>
            {Array.from(bytes.subarray(o, Math.min(o + ROW, n)), (b, i) => {
              const off = o + i;
              const region = off < data ? 'headroom' : off < tail ? 'in-data' : 'tailroom';
              const hl = hover !== null && off >= hover.start && off < hover.end;
              return (
                <span key={off} data-off={off} className={`hb ${region}${hl ? ' hl' : ''}`}>
                  {h2(b)}
                </span>
              );
            })}
          </div>
        ))}
        {bytes.length > n && <p className="muted">… {bytes.length - n} more bytes</p>}
      </div>
    </div>
  );
});
