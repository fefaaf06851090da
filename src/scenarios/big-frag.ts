import script from './big-frag.sh?raw';
import { scenario } from './types.ts';

export const BIG_FRAG = scenario({
  id: 'big-frag',
  title: 'a ping that needs fragmenting',
  script,
});
