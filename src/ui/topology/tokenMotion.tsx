// A token's motion (framer-motion), fetched after the first view: SkbToken
// draws a still token until this arrives. Reduced motion is honoured: with it
// the token jumps to its place.
import type { ComponentProps } from 'react';
import { MotionConfig, motion } from 'framer-motion';

export function MotionTokenG(props: ComponentProps<typeof motion.g>) {
  return (
    <MotionConfig reducedMotion="user">
      <motion.g {...props} />
    </MotionConfig>
  );
}
