// An skb drawn as a small token; it glides from where it was at the previous
// step to where it is now (instantly when reduced motion is asked for).
import { motion } from 'framer-motion';
import { TOKEN_W, TOKEN_H } from './layout.ts';

export interface Point {
  x: number;
  y: number;
}

export function SkbToken({ id, x, y, from, current }: { id: number; x: number; y: number; from?: Point; current: boolean }) {
  return (
    <motion.g
      data-testid={`skb-${id}`}
      className={`skb-token${current ? ' current' : ''}`}
      initial={from ? { x: from.x, y: from.y, opacity: 1 } : { x, y, opacity: 0 }}
      animate={{ x, y, opacity: 1 }}
      transition={{ type: 'spring', stiffness: 260, damping: 30 }}
    >
      <title>{`skb #${id}${current ? ' (the current call’s skb)' : ''}`}</title>
      <rect width={TOKEN_W} height={TOKEN_H} rx={9} />
      <text x={TOKEN_W / 2} y={TOKEN_H / 2 + 4} textAnchor="middle">
        #{id}
      </text>
    </motion.g>
  );
}
