import script from './router-no-forward.sh?raw';
import { scenario } from './types.ts';

export const ROUTER_NO_FORWARD = scenario({
  id: 'router-no-forward',
  title: 'the same router with forwarding off',
  script,
});
