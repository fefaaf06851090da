import script from './lo-ping.sh?raw';
import { scenario } from './types.ts';

export const LO_PING = scenario({
  id: 'lo-ping',
  title: 'ping over loopback (lo)',
  script,
});
