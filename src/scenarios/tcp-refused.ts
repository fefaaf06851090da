import script from './tcp-refused.sh?raw';
import { scenario } from './types.ts';

export const TCP_REFUSED = scenario({
  id: 'tcp-refused',
  title: 'TCP: connection refused',
  script,
});
