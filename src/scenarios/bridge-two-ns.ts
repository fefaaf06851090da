import script from './bridge-two-ns.sh?raw';
import { scenario } from './types.ts';

export const BRIDGE_TWO_NS = scenario({
  id: 'bridge-two-ns',
  title: 'a bridge between two namespaces',
  script,
});
