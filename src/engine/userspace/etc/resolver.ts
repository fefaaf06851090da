// glibc's getnameinfo for an IPv4 address, as the kernel reference machine
// answers it (nsswitch `hosts: files dns`): /etc/hosts first, then the
// nameserver of /etc/resolv.conf. The recording machine's files are
// reproduced here: a scenario's namespaces see the host's /etc.
import type { World } from '../../kernel/world.ts';
import type { Task } from '../../include/sched.ts';
import type { Net } from '../../include/net.ts';
import { AF_INET, SOCK_DGRAM } from '../../include/sock.ts';
import { __sys_connect, __sys_socket, sys_close } from '../../net/socket.ts';
import { ipStr, parseIp } from '../../net/ipv4/addr.ts';

/** /etc/hosts of the reference machine: address and first name. */
const ETC_HOSTS: readonly [string, string][] = [
  ['127.0.0.1', 'localhost'],
  ['127.0.0.1', 'runsc'],
  ['127.0.0.1', 'vm'],
];

/** /etc/resolv.conf's nameserver on the reference machine. */
const NAMESERVER = parseIp('10.255.255.53')!;

/** res_send's tries of each nameserver (RES_DFLRETRY). */
const RES_DFLRETRY = 2;

export const EAI_AGAIN_TEXT = 'Temporary failure in name resolution';

/**
 * getnameinfo(NI_NUMERICSERV) of `addr`: the host name, or the numeric
 * address under NI_NUMERICHOST (nc -n), or null when the lookup failed
 * (EAI_AGAIN). A name not in /etc/hosts is asked of the nameserver: res_send
 * opens a UDP socket and connect()s it to the nameserver, RES_DFLRETRY
 * times, and gives up with TRY_AGAIN when no connect() succeeds, as in a
 * namespace without a route to it. skbwalk does not model the query itself,
 * so a namespace that can reach the nameserver gives up the same way, where
 * glibc would send the query and wait for its answer.
 */
export function getnameinfo(w: World, task: Task, net: Net, addr: number, numericHost: boolean): string | null {
  if (numericHost) return ipStr(addr);
  const text = ipStr(addr);
  const entry = ETC_HOSTS.find(([a]) => a === text);
  if (entry) return entry[1];
  for (let attempt = 0; attempt < RES_DFLRETRY; attempt++) {
    const fd = __sys_socket(w, task, net, AF_INET, SOCK_DGRAM, 0, true);
    if (fd < 0) return null;
    __sys_connect(w, task, fd, { family: AF_INET, addr: NAMESERVER, port: 53 });
    sys_close(w, task, fd);
  }
  return null;
}
