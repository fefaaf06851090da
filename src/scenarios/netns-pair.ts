import script from './netns-pair.sh?raw';
import { scenario } from './types.ts';

export const NETNS_PAIR = scenario({
  id: 'netns-pair',
  title: 'veth pair host ↔ namespace (as a container runtime builds it)',
  script,
});
