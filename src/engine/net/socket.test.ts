// The socket system calls on a booted host (lo up, 127.0.0.1): what each
// call returns, what reaches the other socket, and the errors as Linux
// gives them.
import { describe, expect, it } from 'vitest';
import type { Task } from '../include/sched.ts';
import {
  AF_INET,
  EPOLLERR,
  EPOLLIN,
  EPOLLOUT,
  EPOLLRDNORM,
  EPOLLWRBAND,
  EPOLLWRNORM,
  MSG_PEEK,
  SO_REUSEADDR,
  SOCK_DGRAM,
  SOCK_SEQPACKET,
  SOL_SOCKET,
} from '../include/sock.ts';
import {
  EADDRINUSE,
  EADDRNOTAVAIL,
  EAFNOSUPPORT,
  EAGAIN,
  EBADF,
  ECONNREFUSED,
  EDESTADDRREQ,
  EINVAL,
  EOPNOTSUPP,
  EPROTONOSUPPORT,
  ESOCKTNOSUPPORT,
} from '../include/errno.ts';
import { bootTestWorld, type TestWorld } from '../userspace/iproute2/testkit.ts';
import { popTimer } from '../kernel/timer.ts';
import { run_timer } from '../kernel/sched.ts';
import '../net/init.ts';
import {
  __sys_bind,
  __sys_connect,
  __sys_listen,
  __sys_recvfrom,
  __sys_sendto,
  __sys_setsockopt,
  __sys_socket,
  sock_poll,
  sys_close,
  sys_getsockname,
} from './socket.ts';

const LOCALHOST = 0x7f000001;
const text = (s: string) => new TextEncoder().encode(s);

function task(t: TestWorld, pid: number): Task {
  return { pid, netUid: t.host.uid, comm: 'test', gen: 0, nextWakeAt: Infinity, done: false, exitCode: 0, files: [] };
}

/** Runs the machine until nothing is left to do (softirqs, timers). */
function settle(t: TestWorld): void {
  for (let tm = popTimer(t.w); tm; tm = popTimer(t.w)) {
    if (tm.at > t.w.now) t.w.now = tm.at;
    run_timer(t.w, tm);
  }
}

function udpSocket(t: TestWorld, p: Task): number {
  return __sys_socket(t.w, p, t.host, AF_INET, SOCK_DGRAM, 0);
}

describe('UDP sockets through the system calls', () => {
  it('carries a datagram from an autobound sender to a bound reader over lo', () => {
    const t = bootTestWorld();
    const a = task(t, 100);
    const b = task(t, 101);
    const rfd = udpSocket(t, b);
    expect(__sys_bind(t.w, b, rfd, { family: AF_INET, addr: 0, port: 9090 })).toBe(0);
    const sfd = udpSocket(t, a);
    expect(sock_poll(t.w, b, rfd)).toBe(EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND);
    expect(__sys_sendto(t.w, a, sfd, text('hello'), 0, { family: AF_INET, addr: LOCALHOST, port: 9090 })).toBe(5);
    settle(t);
    const local = sys_getsockname(t.w, a, sfd);
    if (typeof local === 'number') throw new Error(`getsockname: ${local}`);
    expect(local.port >= 32768 && local.port <= 60999, `ephemeral port ${local.port}`).toBe(true);
    expect(sock_poll(t.w, b, rfd)).toBe(EPOLLIN | EPOLLRDNORM | EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND);
    const peek = __sys_recvfrom(t.w, b, rfd, 2048, MSG_PEEK);
    const read = __sys_recvfrom(t.w, b, rfd, 3);
    const again = __sys_recvfrom(t.w, b, rfd, 2048);
    expect([peek, read, again].map((r) => [r.ret, new TextDecoder().decode(r.data), r.from])).toEqual([
      [5, 'hello', { addr: LOCALHOST, port: local.port }],
      [3, 'hel', { addr: LOCALHOST, port: local.port }],
      [-EAGAIN, '', null],
    ]);
  });

  it('answers bind, connect and send errors as Linux does', () => {
    const t = bootTestWorld();
    const p = task(t, 100);
    const any9 = { family: AF_INET, addr: 0, port: 9 };
    const s1 = udpSocket(t, p);
    const s2 = udpSocket(t, p);
    const s3 = udpSocket(t, p);
    const s4 = udpSocket(t, p);
    expect([
      __sys_bind(t.w, p, s1, any9),
      __sys_bind(t.w, p, s2, any9),
      __sys_bind(t.w, p, s1, { family: AF_INET, addr: 0, port: 10 }),
      __sys_bind(t.w, p, s2, { family: AF_INET, addr: 0x0a090909, port: 11 }),
      __sys_bind(t.w, p, s2, { family: 10, addr: 0, port: 11 }),
      __sys_setsockopt(t.w, p, s3, SOL_SOCKET, SO_REUSEADDR, 1),
      __sys_setsockopt(t.w, p, s4, SOL_SOCKET, SO_REUSEADDR, 1),
      __sys_bind(t.w, p, s3, { family: AF_INET, addr: 0, port: 12 }),
      __sys_bind(t.w, p, s4, { family: AF_INET, addr: 0, port: 12 }),
      __sys_sendto(t.w, p, s2, text('x')),
      __sys_listen(t.w, p, s2, 1),
      __sys_bind(t.w, p, 99, any9),
      __sys_socket(t.w, p, t.host, 10, SOCK_DGRAM, 0),
      __sys_socket(t.w, p, t.host, AF_INET, SOCK_SEQPACKET, 0),
      __sys_socket(t.w, p, t.host, AF_INET, SOCK_DGRAM, 6),
    ]).toEqual([
      0,
      -EADDRINUSE,
      -EINVAL,
      -EADDRNOTAVAIL,
      -EINVAL,
      0,
      0,
      0,
      0,
      -EDESTADDRREQ,
      -EOPNOTSUPP,
      -EBADF,
      -EAFNOSUPPORT,
      -ESOCKTNOSUPPORT,
      -EPROTONOSUPPORT,
    ]);
  });

  it('reports a port unreachable to the connected sender once, as ECONNREFUSED', () => {
    const t = bootTestWorld();
    const p = task(t, 100);
    const fd = udpSocket(t, p);
    expect(__sys_connect(t.w, p, fd, { family: AF_INET, addr: LOCALHOST, port: 9 })).toBe(0);
    expect(__sys_sendto(t.w, p, fd, text('hi\n'))).toBe(3);
    settle(t);
    const masks = [sock_poll(t.w, p, fd)];
    const reads = [__sys_recvfrom(t.w, p, fd, 100).ret, __sys_recvfrom(t.w, p, fd, 100).ret];
    masks.push(sock_poll(t.w, p, fd));
    expect({ masks, reads }).toEqual({
      masks: [EPOLLERR | EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND, EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND],
      reads: [-ECONNREFUSED, -EAGAIN],
    });
  });

  it('frees what a closed socket never read, and gives its port back', () => {
    const t = bootTestWorld();
    const p = task(t, 100);
    const rfd = udpSocket(t, p);
    __sys_bind(t.w, p, rfd, { family: AF_INET, addr: LOCALHOST, port: 7000 });
    const sfd = udpSocket(t, p);
    __sys_sendto(t.w, p, sfd, text('unread'), 0, { family: AF_INET, addr: LOCALHOST, port: 7000 });
    settle(t);
    const sk = p.files![rfd]!.sk;
    expect(sk.receiveQueue.length).toBe(1);
    const skb = sk.receiveQueue[0];
    expect(sys_close(t.w, p, rfd)).toBe(0);
    expect({
      queued: sk.receiveQueue.length,
      end: [skb.state, skb.endLocation, skb.dropReason],
      bound: t.host.udp.map((s) => s.num),
    }).toEqual({
      queued: 0,
      end: ['dropped', 'udp_destruct_common', 'NOT_SPECIFIED'],
      bound: [sys_getsockname(t.w, p, sfd) as { port: number }].map((a) => a.port),
    });
    const again = udpSocket(t, p);
    expect(__sys_bind(t.w, p, again, { family: AF_INET, addr: LOCALHOST, port: 7000 })).toBe(0);
  });
});
