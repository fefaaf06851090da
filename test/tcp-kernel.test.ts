// TCP's timers in the kernel model, driven through the socket calls the way a
// program would, where no recorded scenario shows them: the 40 ms delayed ACK
// and the SYN retransmissions to a host that answers ARP but never the SYN
// (its reset is routed into a blackhole). A SYN to an address nobody answers
// ARP for ends sooner, with "No route to host": the neighbour's failure sends
// an ICMP host unreachable back to TCP (see tcp-icmp-unreachable's record).
import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/engine/run/run.ts';
import { popTimer } from '../src/engine/kernel/timer.ts';
import { run_timer } from '../src/engine/kernel/sched.ts';
import type { World } from '../src/engine/kernel/world.ts';
import { netByName } from '../src/engine/net/core/net_namespace.ts';
import { parseIp } from '../src/engine/net/ipv4/addr.ts';
import { tcp_init_sock, tcp_lock, tcp_release, tcp_sendmsg, tcp_shutdown_sock } from '../src/engine/net/ipv4/tcp.ts';
import { tcp_v4_connect } from '../src/engine/net/ipv4/tcp_ipv4.ts';
import { inet_csk_listen_start } from '../src/engine/net/ipv4/inet_connection_sock.ts';
import type { TcpSock } from '../src/engine/include/tcp.ts';
import { SEND_SHUTDOWN } from '../src/engine/include/tcp.ts';
import { formatCapture } from '../src/engine/output/tcpdump.ts';
import { EV_TCP_RETRANSMIT_SKB, EV_INET_SOCK_SET_STATE } from '../src/engine/trace/eventlog.ts';
import { ETIMEDOUT } from '../src/engine/include/errno.ts';
import { TCP_CLOSE } from '../src/engine/include/tcp.ts';

const SETUP = `ip netns add b
ip link add veth0 type veth peer name veth1 netns b
ip addr add 10.9.0.1/24 dev veth0
ip link set veth0 up
ip -n b addr add 10.9.0.2/24 dev veth1
ip -n b link set veth1 up
tcpdump -i veth0
`;

/** connect() as inet_stream_connect does it: under the socket lock, the backlog processed at release. */
function connect(w: World, sk: TcpSock, daddr: string, port: number): number {
  tcp_lock(w, sk);
  const err = tcp_v4_connect(w, sk, parseIp(daddr)!, port);
  tcp_release(w, sk);
  return err;
}

/** The world after the setup, and a way to let its timers run (no process runs: the test is the process). */
function boot(extra = ''): { w: World; until: (t: number) => void; run: ReturnType<typeof runScenario> } {
  const run = runScenario(SETUP + extra);
  const w = run.final;
  const until = (t: number): void => {
    for (;;) {
      const next = w.timers[0];
      if (!next || next.at > t) break;
      const tm = popTimer(w)!;
      if (tm.at > w.now) w.now = tm.at;
      if (tm.kind !== 'shell') run_timer(w, tm);
    }
    if (w.now < t) w.now = t;
  };
  until(w.now + 1e9);
  return { w, until, run };
}

describe('TCP timers', () => {
  it('acknowledges a FIN after the delayed-ACK interval (40 ms once data came in) when the reader does not close', () => {
    const { w, until, run } = boot();
    const listener = tcp_init_sock(w, netByName(w, 'b')!);
    listener.num = 5001;
    expect(inet_csk_listen_start(w, listener, 1)).toBe(0);
    const c = tcp_init_sock(w, w.nets[0]);
    expect(connect(w, c, '10.9.0.2', 5001)).toBe(0);
    expect(tcp_sendmsg(w, c, new TextEncoder().encode('x\n'))).toBe(2);
    tcp_shutdown_sock(w, c, SEND_SHUTDOWN);
    until(w.now + 1e9);
    const cap = run.out.captures[0];
    const lines = formatCapture(cap, { numeric: true, ethernet: false, timestamps: false }).map((l) =>
      l.replace(/^.*?: Flags/, 'Flags'),
    );
    const rel = lines.map((l) => l.replace(/, options \[.*?\]/, ''));
    expect(rel.slice(2)).toEqual([
      expect.stringMatching(/^Flags \[S\], seq \d+, win 64240, length 0$/),
      expect.stringMatching(/^Flags \[S\.\], seq \d+, ack \d+, win 65160, length 0$/),
      'Flags [.], ack 1, win 63, length 0',
      'Flags [P.], seq 1:3, ack 1, win 63, length 2',
      // The first data is acknowledged at once (quick-ACK mode).
      'Flags [.], ack 3, win 64, length 0',
      'Flags [F.], seq 3, ack 1, win 63, length 0',
      // The FIN's ACK waits for the delayed-ACK timer: nobody closes the other end.
      'Flags [.], ack 4, win 64, length 0',
    ]);
    const times = cap.packets.map((p) => p.time);
    // The delayed-ACK timer is due 10 jiffies (40 ms) on; the timer wheel runs it on the
    // jiffy after that (calc_index rounds up, so that no timer fires early): 40 to 44 ms.
    const delay = times[8] - times[7];
    expect(delay).toBeGreaterThan(40e6);
    expect(delay).toBeLessThanOrEqual(44e6);
  });

  it('retransmits an unanswered SYN after 1, 2, 3, 4, 5, 7, 11, 19, 35 and 67 s, then fails with ETIMEDOUT at 131 s', () => {
    const { w, until, run } = boot('ip -n b route add blackhole 10.9.0.1/32\n');
    const start = w.rec.events.length;
    const c = tcp_init_sock(w, w.nets[0]);
    const t0 = w.now;
    expect(connect(w, c, '10.9.0.2', 80)).toBe(0);
    until(w.now + 200e9);
    const ev = w.rec.events;
    const retransmits: number[] = [];
    const states: string[] = [];
    for (let i = start; i < ev.length; i++) {
      if (ev.kind[i] === EV_TCP_RETRANSMIT_SKB) retransmits.push(ev.step[i]);
      if (ev.kind[i] === EV_INET_SOCK_SET_STATE) states.push(ev.fields(i).replace(/ src=.*state=/, ' '));
    }
    // tcp_syn_retries (6) plus tcp_syn_linear_timeouts (4) retransmissions.
    expect(retransmits.length).toBe(10);
    expect(states).toEqual(['proto=TCP CLOSE->SYN_SENT', 'proto=TCP SYN_SENT->CLOSE']);
    expect(c.state).toBe(TCP_CLOSE);
    expect(c.err).toBe(ETIMEDOUT);
    // The SYN and its ten retransmissions all reached b; nothing came back.
    const cap = run.out.captures[0];
    const segments = formatCapture(cap, { numeric: true, ethernet: false, timestamps: false }).filter((l) => l.includes('Flags'));
    expect(segments.length).toBe(11);
    expect(segments.every((l) => l.includes('10.9.0.1.') && l.includes('> 10.9.0.2.80: Flags [S]'))).toBe(true);
    // The first four retransmissions keep the initial second, then the timeout doubles. Each
    // fires on the timer wheel's next bucket boundary: up to 8 jiffies (32 ms) late for a
    // timeout of a second, 64 jiffies (256 ms) for one of 2 to 16 s, 512 (2.048 s) beyond.
    const synTimes = cap.packets.filter((p) => p.bytes[12] === 0x08 && p.bytes[13] === 0 && p.bytes[23] === 6).map((p) => p.time);
    const gaps = synTimes.slice(1).map((t, i) => t - synTimes[i]);
    const expected = [1, 1, 1, 1, 1, 2, 4, 8, 16, 32].map((s) => s * 1e9);
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(expected[i]);
      expect(gap).toBeLessThan(expected[i] + (expected[i] < 2e9 ? 32e6 : expected[i] <= 16e9 ? 256e6 : 2048e6) + 4e6);
    });
    expect(w.now - t0).toBeGreaterThan(131e9);
  });
});
