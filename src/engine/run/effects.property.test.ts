// Effects are visible at a step that makes them: whenever what the diagram
// draws changes between two steps (a CPU's queues, NAPI and NET_RX state, a
// neighbour, an skb entering or leaving a queue, an skb allocated or freed),
// the kernel function that makes that change is on the call stack at the step
// that first shows it. Checked at every step of every kernel record and of
// random scenarios, by replaying each run once with an observer.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runScenario, tick } from './run.ts';
import { worldView } from './view.ts';
import { cloneWorld } from '../kernel/world.ts';
import { Recorder } from '../trace/recorder.ts';
import { KERNEL_FUNCTIONS } from '../trace/functions.ts';
import { createOutput } from './output.ts';
import { recordFolders, recordScript } from '../../../test/records.ts';

/** Who may make each kind of change: the kernel functions that do it. */
const MAKERS: Record<string, string[]> = {
  'input_pkt_queue+': ['enqueue_to_backlog'],
  'input_pkt_queue-': ['process_backlog'],
  'process_queue+': ['process_backlog'],
  'process_queue-': ['process_backlog'],
  'NET_RX raised': ['raise_softirq_irqoff'],
  'NET_RX taken': ['handle_softirqs'],
  'backlog NAPI scheduled': ['enqueue_to_backlog'],
  'backlog NAPI done': ['process_backlog'],
  'poll_list+': ['____napi_schedule', 'net_rx_action'],
  'poll_list-': ['net_rx_action'],
  'net_rx_action running': ['net_rx_action'],
  'neighbour created': ['__neigh_create'],
  'neighbour changed': ['__neigh_update', '__neigh_event_send', 'neigh_timer_handler', 'neigh_invalidate'],
  'neighbour removed': ['neigh_ifdown', 'neigh_delete'],
  'neigh_queue+': ['__neigh_event_send'],
  'neigh_queue-': ['__neigh_update', '__neigh_event_send', 'neigh_invalidate', 'neigh_ifdown', 'neigh_delete'],
  'socket queue+': ['raw_rcv', 'ip_icmp_error', 'icmp_err', '__udp_enqueue_schedule_skb', 'tcp_data_queue'],
  'socket queue-': [
    'raw_recvmsg',
    'inet_release',
    'udp_recvmsg',
    'tcp_recvmsg_locked',
    '__tcp_close',
    'tcp_done',
    'inet_csk_listen_stop',
  ],
  'skb allocated': [
    'arp_create',
    'skb_clone',
    'raw_sendmsg',
    'udp_sendmsg',
    'icmp_reply',
    '__icmp_send',
    'ip_fragment',
    'packet_rcv',
    'br_forward',
    'br_flood',
    'tcp_connect',
    'tcp_send_ack',
    'tcp_send_fin',
    'tcp_sendmsg_locked',
    'tcp_send_active_reset',
    'tcp_v4_send_synack',
    'ip_send_unicast_reply',
    // RTM_GETROUTE with an input device routes a dummy packet it builds.
    'inet_rtm_getroute',
  ],
  'skb freed': ['kfree_skb_reason', 'consume_skb', 'kfree_skb_partial', '__consume_stateless_skb', '__kfree_skb'],
};

/** What the diagram draws, as sets of items per kind of change. */
function snapshot(w: Parameters<typeof worldView>[0], live: Map<number, unknown>): Map<string, Set<string>> {
  const v = worldView(w);
  const m = new Map<string, Set<string>>();
  const add = (k: string, item: string) => {
    let s = m.get(k);
    if (!s) m.set(k, (s = new Set()));
    s.add(item);
  };
  for (const c of v.cpus) {
    for (const s of c.inputPktQueue) add('input_pkt_queue', `${c.cpu}:${s}`);
    for (const s of c.processQueue) add('process_queue', `${c.cpu}:${s}`);
    for (const p of c.pollList) add('poll_list', `${c.cpu}:${p}`);
    if (c.netRxPending) add('NET_RX', `${c.cpu}`);
    if (c.backlogScheduled) add('backlog NAPI', `${c.cpu}`);
    if (c.inNetRxAction) add('net_rx_action', `${c.cpu}`);
  }
  for (const ns of v.namespaces) {
    for (const n of ns.neighbours) add('neighbour', `${ns.uid}:${n.dev}:${n.key}`);
    for (const n of ns.neighbours) add('neighbour state', `${ns.uid}:${n.dev}:${n.key}=${n.state}/${n.mac}`);
  }
  for (const p of v.skbs) {
    if (p.where === 'neigh_queue') add('neigh_queue', `${p.skb}`);
    if (p.where === 'socket') add('socket queue', `${p.skb}`);
  }
  for (const id of live.keys()) add('skb', `${id}`);
  return m;
}

const EMPTY = new Set<string>();

/** The kinds of change between two snapshots, named as MAKERS names them. */
function changes(a: Map<string, Set<string>>, b: Map<string, Set<string>>): string[] {
  const out: string[] = [];
  const diff = (k: string, plus: string, minus: string) => {
    const x = a.get(k) ?? EMPTY;
    const y = b.get(k) ?? EMPTY;
    if ([...y].some((i) => !x.has(i))) out.push(plus);
    if ([...x].some((i) => !y.has(i))) out.push(minus);
  };
  diff('input_pkt_queue', 'input_pkt_queue+', 'input_pkt_queue-');
  diff('process_queue', 'process_queue+', 'process_queue-');
  diff('poll_list', 'poll_list+', 'poll_list-');
  diff('NET_RX', 'NET_RX raised', 'NET_RX taken');
  diff('backlog NAPI', 'backlog NAPI scheduled', 'backlog NAPI done');
  diff('net_rx_action', 'net_rx_action running', 'net_rx_action running');
  diff('neighbour', 'neighbour created', 'neighbour removed');
  const created = out.includes('neighbour created') || out.includes('neighbour removed');
  const sx = a.get('neighbour state') ?? EMPTY;
  const sy = b.get('neighbour state') ?? EMPTY;
  if (!created && [...sy].some((i) => !sx.has(i))) out.push('neighbour changed');
  diff('neigh_queue', 'neigh_queue+', 'neigh_queue-');
  diff('socket queue', 'socket queue+', 'socket queue-');
  diff('skb', 'skb allocated', 'skb freed');
  return [...new Set(out)];
}

interface Violation {
  step: number;
  change: string;
  stack: string[];
}

/** Replays a scenario once, comparing what is drawn at each step with the step before. */
function violations(text: string): { steps: number; checked: number; found: Violation[] } {
  const run = runScenario(text, { trackSkbs: true });
  const cp = run.checkpoints[0];
  const w = cloneWorld(cp.world);
  const rec = new Recorder();
  rec.storing = false;
  rec.count = cp.step;
  rec.liveSkbs = new Map();
  const out = createOutput();
  out.muted = true;
  w.rec = rec;
  w.out = out;
  let prev: Map<string, Set<string>> | null = null;
  const found: Violation[] = [];
  let checked = 0;
  rec.observer = {
    onStep(i) {
      const now = snapshot(w, rec.liveSkbs!);
      if (prev) {
        const stack = rec.stack.map((f) => KERNEL_FUNCTIONS[f].name);
        for (const change of changes(prev, now)) {
          checked++;
          if (!MAKERS[change].some((fn) => stack.includes(fn))) found.push({ step: i + 1, change, stack });
        }
      }
      prev = now;
    },
  };
  while (tick(w, run.script)) {
    /* replay */
  }
  expect(rec.count).toBe(run.rec.count);
  return { steps: rec.count, checked, found };
}

const folders = recordFolders();

describe('every drawn change shows at a step where the function making it is on the stack', () => {
  it('on the seed: the skb enqueue_to_backlog queues is drawn while it returns', () => {
    const r = violations(recordScript('seed-veth-same-ns'));
    expect(r.found).toEqual([]);
    expect(r.checked).toBeGreaterThan(50);
  });

  for (const folder of folders) {
    it(folder, () => {
      const r = violations(recordScript(folder));
      expect(r.found.slice(0, 5)).toEqual([]);
    });
  }

  it('on random scenarios', () => {
    const addrs = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.255', '127.0.0.1'];
    const command = fc.oneof(
      fc.constant('ip link add veth0 type veth peer name veth1'),
      fc.constant('ip netns add ns1'),
      fc.constant('ip link set veth1 netns ns1'),
      fc.constantFrom('veth0', 'veth1').map((d) => `ip link set ${d} up`),
      fc.constant('ip -n ns1 link set veth1 up'),
      fc.constant('ip link set veth1 down'),
      fc.constantFrom('10.0.0.1/24 dev veth0', '10.0.0.2/24 dev veth1').map((a) => `ip addr add ${a}`),
      fc.constant('ip -n ns1 addr add 10.0.0.2/24 dev veth1'),
      fc.constantFrom('veth0', 'veth1').map((d) => `tcpdump -i ${d}`),
      fc.constantFrom(...addrs).map((a) => `ping -c 2 -i 0.3 -W 1.5 ${a}`),
      fc.constant('ip neigh flush dev veth0'),
      fc.constant('sleep 3'),
    );
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 10 }), (lines) => {
        expect(violations(lines.join('\n') + '\n').found.slice(0, 5)).toEqual([]);
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});
