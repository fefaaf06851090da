import script from './seed-defaults.sh?raw';
import { scenario } from './types.ts';

export const SEED_DEFAULTS = scenario({
  id: 'seed-defaults',
  title: 'the seed with distribution defaults (ping fails)',
  script,
});
