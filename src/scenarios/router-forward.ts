import script from './router-forward.sh?raw';
import { scenario } from './types.ts';

export const ROUTER_FORWARD = scenario({
  id: 'router-forward',
  title: 'a router namespace forwarding between two others',
  script,
});
