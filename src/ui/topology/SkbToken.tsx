// An skb drawn as a token labelled by what it is ("#3 ARP req") and coloured
// by protocol. It travels from where it was at the previous step along the
// drawn path it took (cables, the stack's layers, the CPU's queues); with
// reduced motion it jumps (tokenMotion.tsx). A new step simply sets a new
// path: motion never holds up input. The motion code arrives after the first
// view; until then a token is drawn still, at its place.
import type { SVGProps } from 'react';
import { deferred, useDeferred } from '../afterFirstView.ts';
import { TOKEN_H } from './layout.ts';
import type { Place, Point } from './places.ts';

/** Seconds a token takes for `length` px of path: quick, and never longer than a fast step. */
function duration(length: number): number {
  return Math.min(0.7, 0.12 + length / 1400);
}

/** What a token is and does, drawn still or moving alike. */
type TokenProps = Pick<
  SVGProps<SVGGElement>,
  | 'className'
  | 'role'
  | 'tabIndex'
  | 'aria-pressed'
  | 'aria-label'
  | 'onClick'
  | 'onKeyDown'
  | 'onPointerEnter'
  | 'onPointerLeave'
  | 'onFocus'
  | 'onBlur'
>;

const tokenMotion = deferred(() => import('./tokenMotion.tsx'));

function pathLength(ps: Point[]): number {
  let n = 0;
  for (let i = 1; i < ps.length; i++) n += Math.hypot(ps[i].x - ps[i - 1].x, ps[i].y - ps[i - 1].y);
  return n;
}

export function SkbToken({
  place,
  path,
  current,
  selected,
  onSelect,
  onHover,
  onFocusToken,
}: {
  place: Place;
  /** Top-left positions from the previous place to this one; empty when it did not move. */
  path: Point[];
  current: boolean;
  selected: boolean;
  onSelect: (id: number) => void;
  onHover: (id: number | null) => void;
  /** Called when the token gets keyboard focus: the diagram pans to show it. */
  onFocusToken: (place: Place) => void;
}) {
  const { id, x, y, w } = place;
  const moving = path.length >= 2;
  const times = moving ? cumulative(path) : undefined;
  const motionModule = useDeferred(tokenMotion);
  const common: TokenProps = {
    className: `skb-token skb-${place.cls}${current ? ' current' : ''}${selected ? ' selected' : ''}${place.dropReason ? ' dropping' : ''}`,
    role: 'button',
    tabIndex: 0,
    'aria-pressed': selected,
    'aria-label': `${place.name}${current ? ', the current call’s skb' : ''}`,
    onClick: (e) => {
      e.stopPropagation();
      onSelect(id);
    },
    onKeyDown: (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        e.stopPropagation();
        onSelect(id);
      }
    },
    onPointerEnter: () => onHover(id),
    onPointerLeave: () => onHover(null),
    onFocus: (e) => {
      onHover(id);
      // Only keyboard focus pans: a pan under a pressed mouse would move the token away from the click.
      if (e.currentTarget.matches(':focus-visible')) onFocusToken(place);
    },
    onBlur: () => onHover(null),
  };
  const body = (
    <>
      {selected && <rect x={-4} y={-4} width={w + 8} height={TOKEN_H + 8} rx={13} className="skb-selected-ring" />}
      <rect width={w} height={TOKEN_H} rx={10} className="skb-body" />
      <text x={w / 2} y={TOKEN_H / 2 + 4.5} textAnchor="middle">
        {place.text}
      </text>
    </>
  );
  if (!motionModule) {
    return (
      <g data-testid={`skb-${id}`} data-anchor={place.anchor} {...common} transform={`translate(${x},${y})`}>
        {body}
      </g>
    );
  }
  const { MotionTokenG } = motionModule;
  return (
    <MotionTokenG
      data-testid={`skb-${id}`}
      data-anchor={place.anchor}
      {...common}
      initial={moving ? { x: path[0].x, y: path[0].y, opacity: 1 } : { x, y, opacity: 0 }}
      animate={moving ? { x: path.map((p) => p.x), y: path.map((p) => p.y), opacity: 1 } : { x, y, opacity: 1 }}
      transition={moving ? { duration: duration(pathLength(path)), times, ease: 'easeInOut' } : { duration: 0.15 }}
    >
      {body}
    </MotionTokenG>
  );
}

/** Keyframe times proportional to the distance covered, so the speed is even along the path. */
function cumulative(ps: Point[]): number[] {
  const total = pathLength(ps) || 1;
  const out = [0];
  let n = 0;
  for (let i = 1; i < ps.length; i++) {
    n += Math.hypot(ps[i].x - ps[i - 1].x, ps[i].y - ps[i - 1].y);
    out.push(Math.min(1, n / total));
  }
  out[out.length - 1] = 1;
  return out;
}
