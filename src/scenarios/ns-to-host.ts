import script from './ns-to-host.sh?raw';
import { scenario } from './types.ts';

export const NS_TO_HOST = scenario({
  id: 'ns-to-host',
  title: 'a container reaching the host',
  script,
});
