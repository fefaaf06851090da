// Generic socket callbacks (net/core/sock.c).
import type { World } from '../../kernel/world.ts';
import type { WaitQueue } from '../../include/sched.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave } from '../../kernel/call.ts';
import { wake_up_interruptible } from '../../kernel/sched.ts';

const F_sock_def_readable = kfn(
  'sock_def_readable',
  'net/core/sock.c',
  'sk_data_ready: data was queued on the socket, so every process sleeping on its wait queue (in recvmsg or poll) is woken.',
);

/** sk->sk_data_ready = sock_def_readable */
export function sk_data_ready(w: World, sk: { wq: WaitQueue }): void {
  enter(w, F_sock_def_readable);
  try {
    wake_up_interruptible(w, sk.wq);
  } finally {
    leave(w);
  }
}
