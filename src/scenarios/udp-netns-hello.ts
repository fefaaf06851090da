import script from './udp-netns-hello.sh?raw';
import { scenario } from './types.ts';

export const UDP_NETNS_HELLO = scenario({
  id: 'udp-netns-hello',
  title: 'UDP: one datagram into a namespace',
  script,
});
