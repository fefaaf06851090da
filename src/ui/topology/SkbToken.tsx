// An skb drawn as a small token; it glides from where it was at the previous
// step to where it is now (instantly when reduced motion is asked for).
import { motion } from 'framer-motion';
import { TOKEN_W, TOKEN_H } from './layout.ts';

export interface Point {
  x: number;
  y: number;
}

export function SkbToken({
  id,
  x,
  y,
  from,
  current,
  selected,
  onSelect,
}: {
  id: number;
  x: number;
  y: number;
  from?: Point;
  current: boolean;
  selected?: boolean;
  onSelect?: (id: number) => void;
}) {
  return (
    <motion.g
      data-testid={`skb-${id}`}
      className={`skb-token${current ? ' current' : ''}${selected ? ' selected' : ''}`}
      role={onSelect ? 'button' : undefined}
      tabIndex={onSelect ? 0 : undefined}
      aria-pressed={onSelect ? !!selected : undefined}
      aria-label={onSelect ? `skb #${id}${current ? ', the current call’s skb' : ''}` : undefined}
      onClick={onSelect ? () => onSelect(id) : undefined}
      onKeyDown={
        onSelect
          ? (e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                onSelect(id);
              }
            }
          : undefined
      }
      initial={from ? { x: from.x, y: from.y, opacity: 1 } : { x, y, opacity: 0 }}
      animate={{ x, y, opacity: 1 }}
      transition={{ type: 'spring', stiffness: 260, damping: 30 }}
    >
      <title>{`skb #${id}${current ? ' (the current call’s skb)' : ''}`}</title>
      {selected && <rect x={-3} y={-3} width={TOKEN_W + 6} height={TOKEN_H + 6} rx={11} className="skb-selected-ring" />}
      <rect width={TOKEN_W} height={TOKEN_H} rx={9} />
      <text x={TOKEN_W / 2} y={TOKEN_H / 2 + 4} textAnchor="middle">
        #{id}
      </text>
    </motion.g>
  );
}
