import script from './ping-unowned-address.sh?raw';
import { scenario } from './types.ts';

export const PING_UNOWNED = scenario({
  id: 'ping-unowned-address',
  title: 'an address nobody answers for',
  script,
});
