// Per-CPU `struct softnet_data` and softirq state.
import type { SkBuff } from './skbuff.ts';

export const NAPI_STATE_SCHED = 1;

export const HI_SOFTIRQ = 0;
export const TIMER_SOFTIRQ = 1;
export const NET_TX_SOFTIRQ = 2;
export const NET_RX_SOFTIRQ = 3;
export const SOFTIRQ_NAMES = ['HI', 'TIMER', 'NET_TX', 'NET_RX', 'BLOCK', 'IRQ_POLL', 'TASKLET', 'SCHED', 'HRTIMER', 'RCU'];

export interface SoftnetData {
  cpu: number;
  inputPktQueue: SkBuff[];
  processQueue: SkBuff[];
  /** NAPI instances waiting to be polled; 'backlog' is this CPU's backlog NAPI. */
  pollList: string[];
  backlogState: number; // NAPI_STATE_* bits
  inNetRxAction: boolean;
  /** Pending softirq vectors bitmask. */
  softirqPending: number;
  /** local_bh_disable() nesting. */
  bhDisableCount: number;
  /** Budget used by the running net_rx_action (for the diagram). */
  budgetUsed: number;
  processed: number;
  dropped: number;
  timeSqueeze: number;
}
