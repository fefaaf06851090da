import script from './docker-bridge.sh?raw';
import { scenario } from './types.ts';

export const DOCKER_BRIDGE = scenario({
  id: 'docker-bridge',
  title: 'two containers on a Docker-style bridge',
  script,
});
