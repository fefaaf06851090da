import script from './tcp-netns-hello.sh?raw';
import { scenario } from './types.ts';

export const TCP_NETNS_HELLO = scenario({
  id: 'tcp-netns-hello',
  title: 'TCP: handshake, one line of data and both FINs',
  script,
});
