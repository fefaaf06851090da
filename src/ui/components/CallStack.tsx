// The kernel call stack at this step, outermost first; the last frame is the
// call entered at this step, or the call returning at it (with its return
// value). Its explanation and what changed since the previous step are pinned
// under the frames: the outer frames scroll, the current call never does.
import { memo, useEffect, useRef } from 'react';
import { useExplorer } from '../store.ts';
import { Panel } from './Panel.tsx';
import { CurrentCall } from './CurrentCall.tsx';
import { afterNextPaint } from '../afterPaint.ts';
import type { FrameView } from '../../engine/run/view.ts';

/** The step at which the frame at `depth` of the stack at `step` was entered. */
function entryStep(stepDepth: Uint16Array, step: number, depth: number): number {
  for (let s = step; s >= 1; s--) if (stepDepth[s - 1] === depth) return s;
  return step;
}

/** Goes back to the step that entered the frame at `depth` of the stack on display. */
function goToEntry(depth: number): void {
  const { summary, view, goTo } = useExplorer.getState();
  if (summary && view) goTo(entryStep(summary.stepDepth, view.step, depth));
}

/**
 * One frame: redrawn only when it changes (the view shares the frames that
 * did not change since the previous step), so a step redraws the frames it
 * pushes, pops or marks current, not the whole stack.
 */
const Frame = memo(function Frame({
  frame: f,
  depth,
  current,
  linked,
  returned,
}: {
  frame: FrameView;
  depth: number;
  current: boolean;
  /** Whether the frame's name links back to the step that entered it. */
  linked: boolean;
  /** At a return step, the current frame's return value ("(void)" when none); else null. */
  returned: string | null;
}) {
  return (
    <li aria-current={current ? 'step' : undefined} className={current ? 'current' : undefined}>
      {!linked ? (
        <span className="fn">{f.fn}</span>
      ) : (
        <button type="button" className="fn" title={`Go back to the step that entered ${f.fn}`} onClick={() => goToEntry(depth)}>
          {f.fn}
        </button>
      )}{' '}
      <a className="file" href={f.url} target="_blank" rel="noopener noreferrer">
        {f.file}
      </a>{' '}
      {returned !== null && <span className="ret">returns {returned}</span>}
      {(f.skb > 0 || f.dev) && (
        <span className="frame-tags">
          {f.skb > 0 && <span className="tag">skb #{f.skb}</span>}
          {f.dev && <span className="tag">{f.dev}</span>}
        </span>
      )}
    </li>
  );
});

export function CallStack() {
  const view = useExplorer((s) => s.view);
  const hasDepths = useExplorer((s) => s.summary?.stepDepth !== undefined);
  const listRef = useRef<HTMLOListElement>(null);
  const stack = view?.stack ?? [];
  useEffect(
    () =>
      // The current frame is the last item: keep it in view by scrolling the frame list only (never the page).
      // Once the step is painted: then the page's layout is known, and reading the list's height costs nothing
      // (before the paint it made the browser lay the whole page out an extra time on every step).
      afterNextPaint(() => {
        const list = listRef.current;
        if (list) list.scrollTop = list.scrollHeight;
      }),
    [view],
  );
  return (
    <Panel id="stack" label="Call stack" className="stack-panel">
      {stack.length > 0 && (
        <ol className="stack" ref={listRef} aria-label="Frames, outermost first">
          {stack.map((f, i) => {
            const current = i === stack.length - 1;
            return (
              <Frame
                key={i}
                frame={f}
                depth={i}
                current={current}
                linked={!current && hasDepths}
                returned={current && view!.kind === 'return' ? (view!.returned ?? '(void)') : null}
              />
            );
          })}
        </ol>
      )}
      <CurrentCall />
    </Panel>
  );
}
