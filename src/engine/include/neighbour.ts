// `struct neighbour` (include/net/neighbour.h).
import type { NetDevice } from './netdevice.ts';
import type { SkBuff } from './skbuff.ts';
import type { NeighParms } from './sysctl.ts';

export const NUD_INCOMPLETE = 0x01;
export const NUD_REACHABLE = 0x02;
export const NUD_STALE = 0x04;
export const NUD_DELAY = 0x08;
export const NUD_PROBE = 0x10;
export const NUD_FAILED = 0x20;
export const NUD_NOARP = 0x40;
export const NUD_PERMANENT = 0x80;
export const NUD_NONE = 0x00;

export const NUD_IN_TIMER = NUD_INCOMPLETE | NUD_REACHABLE | NUD_DELAY | NUD_PROBE;
export const NUD_VALID = NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | NUD_STALE | NUD_DELAY;
export const NUD_CONNECTED = NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE;

export interface Neighbour {
  uid: number;
  dev: NetDevice;
  /** The address it was created for (the tracepoint's key). */
  key: number;
  /** The hash key: INADDR_ANY on loopback/point-to-point devices. */
  primaryKey: number;
  nudState: number;
  ha: Uint8Array;
  /** RTN_* type of the key (arp_constructor's inet_addr_type_dev_table). */
  type: number;
  probes: number;
  updated: number;
  confirmed: number;
  used: number;
  /** Has the hardware header cache been filled (neigh_hh_init)? */
  hhValid: boolean;
  arpQueue: SkBuff[];
  arpQueueLen: number;
  parms: NeighParms;
  /** Virtual time the neighbour timer fires, or -1. */
  timerAt: number;
  dead: boolean;
}
