import script from './seed-veth-same-ns.sh?raw';
import { scenario } from './types.ts';

export const SEED = scenario({
  id: 'seed-veth-same-ns',
  title: 'veth pair in one namespace (seed)',
  script,
});
