// The life of the skb on display: where it was allocated or cloned, the
// queues it waited in, the devices it crossed and how it ended, each entry a
// link to its step.
import { memo } from 'react';
import { useExplorer } from '../store.ts';
import type { SkbLifeEntry } from '../../engine/run/skblife.ts';

export function SkbLife({ id, life, step }: { id: number; life: SkbLifeEntry[]; step: number }) {
  if (life.length === 0) return null;
  // The entry the current step is at, or the last one before it.
  let here = -1;
  life.forEach((e, i) => {
    if (e.step <= step && (here < 0 || e.step >= life[here].step)) here = i;
  });
  return <LifeList id={id} life={life} here={here} />;
}

/** The entries, `here` marked: redrawn only when the life or the entry the step is at changes. */
const LifeList = memo(function LifeList({ id, life, here }: { id: number; life: SkbLifeEntry[]; here: number }) {
  return (
    <section className="skb-life" aria-label={`Life of skb #${id}`}>
      <h3>Life</h3>
      <ol>
        {life.map((e, i) => (
          <li key={i} className={`life-${e.kind}${i === here ? ' here' : ''}`}>
            <button
              type="button"
              className="life-step"
              aria-label={`Step ${e.step}: ${e.text}${e.fn ? ` in ${e.fn}` : ''}`}
              onClick={() => useExplorer.getState().goTo(e.step)}
            >
              step {e.step}
            </button>{' '}
            <span className="life-text">{e.text}</span>
            {e.fn && <span className="life-fn"> in {e.fn}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
});
