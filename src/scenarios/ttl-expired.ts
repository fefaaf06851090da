import script from './ttl-expired.sh?raw';
import { scenario } from './types.ts';

export const TTL_EXPIRED = scenario({
  id: 'ttl-expired',
  title: 'TTL running out on the way',
  script,
});
