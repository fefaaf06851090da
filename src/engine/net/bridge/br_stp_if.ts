// A bridge port's spanning-tree state and the bridge's carrier
// (net/bridge/br_stp_if.c, net/bridge/br_stp.c, net/bridge/br_if.c's
// br_port_carrier_check). skbwalk's bridges run without STP, so an enabled
// port forwards at once (br_make_forwarding with BR_NO_STP); what matters
// is when the kernel re-selects the port states, because that is the only
// place a bridge's carrier changes: a bridge that never had a forwarding
// port keeps the carrier every new device starts with (state UNKNOWN once
// up), and one whose ports all stopped forwarding loses it.
import type { World } from '../../kernel/world.ts';
import type { NetDevice } from '../../include/netdevice.ts';
import { BR_STATE_BLOCKING, BR_STATE_DISABLED, BR_STATE_FORWARDING, IFF_UP, netifRunning } from '../../include/netdevice.ts';
import { linkwatch, macKey, netif_carrier } from '../core/rtnetlink.ts';

/** netif_running && netif_oper_up, for a port: up, with carrier. */
function portOperUp(p: NetDevice): boolean {
  return netifRunning(p) && p.carrier;
}

/**
 * br_port_state_selection
 * (https://elixir.bootlin.com/linux/v6.18/source/net/bridge/br_stp.c): every
 * port not disabled forwards (each is a designated port of the root bridge
 * without STP); the bridge has carrier while one does.
 */
export function br_port_state_selection(w: World, br: NetDevice): void {
  let liveports = 0;
  for (const p of br.bridge!.ports) {
    if (p.brPortState === BR_STATE_DISABLED) continue;
    p.brPortState = BR_STATE_FORWARDING;
    liveports++;
  }
  const had = br.carrier;
  netif_carrier(w, br, liveports > 0);
  if (br.carrier !== had) linkwatch([br]);
}

/** br_stp_enable_port (https://elixir.bootlin.com/linux/v6.18/source/net/bridge/br_stp_if.c). */
export function br_stp_enable_port(w: World, p: NetDevice): void {
  // br_init_port: blocking until the selection makes it forward.
  p.brPortState = BR_STATE_BLOCKING;
  br_port_state_selection(w, p.master!);
}

/** br_stp_disable_port (https://elixir.bootlin.com/linux/v6.18/source/net/bridge/br_stp_if.c). */
export function br_stp_disable_port(w: World, p: NetDevice): void {
  p.brPortState = BR_STATE_DISABLED;
  br_port_state_selection(w, p.master!);
}

/** br_stp_enable_bridge, from br_dev_open: the ports that are up with carrier are enabled. */
export function br_stp_enable_bridge(w: World, br: NetDevice): void {
  for (const p of br.bridge!.ports) if (portOperUp(p)) br_stp_enable_port(w, p);
}

/** br_stp_disable_bridge, from br_dev_stop: every port not disabled is disabled. */
export function br_stp_disable_bridge(w: World, br: NetDevice): void {
  for (const p of br.bridge!.ports) if (p.brPortState !== BR_STATE_DISABLED) br_stp_disable_port(w, p);
}

/**
 * br_port_carrier_check
 * (https://elixir.bootlin.com/linux/v6.18/source/net/bridge/br_if.c), on a
 * port's NETDEV_CHANGE: a port that came up with carrier is enabled, one
 * that lost it disabled, while the bridge itself is up.
 */
export function br_port_carrier_check(w: World, p: NetDevice): void {
  const br = p.master!;
  if (!netifRunning(br)) return;
  if (portOperUp(p)) {
    if (p.brPortState === BR_STATE_DISABLED) br_stp_enable_port(w, p);
  } else if (p.brPortState !== BR_STATE_DISABLED) br_stp_disable_port(w, p);
}

/** br_device_event's NETDEV_UP for a port: enabled if the bridge is up and the port has carrier. */
export function br_port_up(w: World, p: NetDevice): void {
  if (netifRunning(p.master!) && portOperUp(p)) br_stp_enable_port(w, p);
}

/** br_device_event's NETDEV_DOWN for a port: disabled while the bridge is up. */
export function br_port_down(w: World, p: NetDevice): void {
  if (p.master!.flags & IFF_UP) br_stp_disable_port(w, p);
}

/**
 * br_stp_change_bridge_id
 * (https://elixir.bootlin.com/linux/v6.18/source/net/bridge/br_stp_if.c):
 * the bridge takes the new identifier as its MAC, and the port states are
 * selected again.
 */
export function br_stp_change_bridge_id(w: World, br: NetDevice, addr: Uint8Array): void {
  br.bridge!.bridgeId = addr.slice();
  br.addr = addr.slice();
  br_port_state_selection(w, br);
}

/**
 * br_stp_recalculate_bridge_id: a bridge whose MAC was not set by hand takes
 * its lowest port MAC (zero with no port) as its identifier; true when it
 * changed.
 */
export function br_stp_recalculate_bridge_id(w: World, br: NetDevice): boolean {
  if (!br.bridge || br.addrSet) return false;
  // macKey's fixed-width hex orders addresses as their bytes do.
  let addr: Uint8Array | null = null;
  for (const p of br.bridge.ports) if (!addr || macKey(p.addr) < macKey(addr)) addr = p.addr;
  addr ??= new Uint8Array(6);
  if (macKey(addr) === macKey(br.bridge.bridgeId)) return false;
  br_stp_change_bridge_id(w, br, addr);
  return true;
}
