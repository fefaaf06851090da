import script from './link-down-peer.sh?raw';
import { scenario } from './types.ts';

export const LINK_DOWN_PEER = scenario({
  id: 'link-down-peer',
  title: 'one end of the cable down',
  script,
});
