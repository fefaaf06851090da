// What the diagram's colours and marks mean, under it. In an embed it starts
// folded, to leave the small frame to the picture.
import { memo } from 'react';
import { PACKET_CLASSES } from '../skb/describe.ts';
import { useShare } from '../shareApp.ts';

/** The same at every step: drawn once, not with each step's picture. */
export const Legend = memo(function Legend() {
  const embed = useShare((s) => s.options.embed);
  return (
    <details className="topology-legend" open={!embed}>
      <summary>Legend</summary>
      <ul>
        {PACKET_CLASSES.map((c) => (
          <li key={c.cls}>
            <span className={`swatch swatch-${c.cls}`} aria-hidden="true" />
            {c.name}
          </li>
        ))}
        <li>
          <span className="swatch swatch-current" aria-hidden="true" />
          current call’s skb
        </li>
        <li>
          <span className="swatch swatch-active" aria-hidden="true" />
          its device
        </li>
        <li>
          <span className="swatch swatch-cable" aria-hidden="true" />
          veth cable
        </li>
        <li>
          <span className="swatch swatch-port" aria-hidden="true" />
          bridge port
        </li>
      </ul>
    </details>
  );
});
