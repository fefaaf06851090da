// IPv4 addresses on devices (net/ipv4/devinet.c), and their sysctl confs
// (net.ipv4.conf.*): the proc handlers and what a write propagates.
import type { Net } from '../../include/net.ts';
import type { InIfaddr, NetDevice } from '../../include/netdevice.ts';
import { IFF_LOOPBACK } from '../../include/netdevice.ts';
import type { Ipv4DevConf } from '../../include/sysctl.ts';
import { IPV4_DEVCONF_ALL_KEYS, IPV4_DEVCONF_KEYS } from '../../include/sysctl.ts';
import { EACCES, EADDRNOTAVAIL, EEXIST, EINVAL } from '../../include/errno.ts';
import { ctlDir, ctlIntFile, parseProcInt, type CtlDir, type CtlNode } from '../../kernel/sysctl.ts';
import { RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_UNIVERSE } from '../../include/route.ts';
import { fib_del_ifaddr, fib_inetaddr_event } from './fib_frontend.ts';
import type { World } from '../../kernel/world.ts';
import { inPrefix, isLoopbackAddr } from './addr.ts';

export function scopeValue(s: InIfaddr['scope']): number {
  return s === 'host' ? RT_SCOPE_HOST : s === 'link' ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
}

export const NETDEV_UP = 1;
export const NETDEV_DOWN = 2;
export const NETDEV_REGISTER = 5;

/**
 * inetdev_init: a device registered in a namespace (new, or moved there)
 * starts with conf/default's values, and counts as having written the keys
 * conf/default had written.
 */
export function inetdev_init(dev: NetDevice): void {
  const state = dev.net.ipv4.devconfState;
  state.devSet[String(dev.uid)] = state.dfltSet.slice();
  const extra = { ...state.extra.default };
  if (dev.kind === 'loopback') {
    // The loopback device needs neither IPsec policy nor transforms.
    extra.disable_policy = 1;
    extra.disable_xfrm = 1;
  }
  state.extra[String(dev.uid)] = extra;
}

/**
 * inetdev_event: IPv4's netdevice notifier. A registered device gets its
 * in_device; the loopback device coming up gets 127.0.0.1/8 (again, each
 * time) and every conf key counts as written (ipv4_devconf_setall).
 */
export function inetdev_event(w: World, event: number, dev: NetDevice): void {
  if (event === NETDEV_REGISTER) inetdev_init(dev);
  else if (event === NETDEV_UP && dev.flags & IFF_LOOPBACK) {
    dev.net.ipv4.devconfState.devSet[String(dev.uid)] = IPV4_DEVCONF_ALL_KEYS.slice();
    inet_rtm_newaddr(w, dev, { local: 0x7f000001, prefixlen: 8, broadcast: 0, scope: 'host', label: 'lo' });
  }
}

/** inetdev_changename: address labels follow the device's new name ("old:x" becomes "new:x"). */
export function inetdev_changename(dev: NetDevice, old: string): void {
  for (const ifa of dev.inDev.addrs) {
    if (ifa.label === old) ifa.label = dev.name;
    else if (ifa.label.startsWith(old + ':')) ifa.label = dev.name + ifa.label.slice(old.length);
  }
}

/** inet_lookup_ifaddr_rcu: is `addr` configured on any device of `net`? */
export function inet_lookup_ifaddr(net: Net, addr: number): NetDevice | null {
  for (const dev of net.devices) for (const a of dev.inDev.addrs) if (a.local === addr) return dev;
  return null;
}

/**
 * IN_DEV_ORCONF (include/linux/inetdevice.h): a conf switch that is on when
 * conf/all or the device's own conf turns it on.
 */
export function in_dev_orconf(dev: NetDevice, key: keyof Ipv4DevConf): boolean {
  return !!(dev.net.ipv4.devconfAll[key] || dev.inDev.conf[key]);
}

/** IN_DEV_TX_REDIRECTS: the device may send ICMP redirects (send_redirects, in all or its own conf). */
export function in_dev_tx_redirects(dev: NetDevice): boolean {
  return in_dev_orconf(dev, 'send_redirects');
}

/**
 * IN_DEV_RX_REDIRECTS: the device takes ICMP redirects in. A forwarding device
 * needs accept_redirects both in conf/all and its own conf (IN_DEV_ANDCONF);
 * a host needs it in either. Turning ip_forward on clears conf/all's, so a
 * router ignores redirects unless told otherwise.
 */
export function in_dev_rx_redirects(dev: NetDevice): boolean {
  if (!dev.inDev.conf.forwarding) return in_dev_orconf(dev, 'accept_redirects');
  return !!(dev.net.ipv4.devconfAll.accept_redirects && dev.inDev.conf.accept_redirects);
}

/** IN_DEV_SHARED_MEDIA: the device's link may hold gateways of other subnets. */
export function in_dev_shared_media(dev: NetDevice): boolean {
  return in_dev_orconf(dev, 'shared_media');
}

/** IN_DEV_SEC_REDIRECTS: secure_redirects, in all or the device's conf. */
export function in_dev_sec_redirects(dev: NetDevice): boolean {
  return in_dev_orconf(dev, 'secure_redirects');
}

/**
 * inet_addr_onlink (https://elixir.bootlin.com/linux/v6.18/source/net/ipv4/devinet.c):
 * is `a` in a subnet of one of the device's addresses, and `b` (unless 0) in
 * that same subnet?
 */
export function inet_addr_onlink(dev: NetDevice, a: number, b: number): boolean {
  for (const ifa of dev.inDev.addrs) {
    if (inPrefix(a, ifa.local, ifa.prefixlen) && (!b || inPrefix(b, ifa.local, ifa.prefixlen))) return true;
  }
  return false;
}

export interface NewAddr {
  local: number;
  prefixlen: number;
  broadcast: number;
  scope: InIfaddr['scope'] | null;
  label: string | null;
}

/**
 * RTM_NEWADDR (`ip addr add`), as inet_insert_ifa does it: an address in a
 * subnet the device already has becomes secondary; a primary goes after the
 * last primary of the same or a wider scope (host-scope addresses first).
 */
export function inet_rtm_newaddr(w: World, dev: NetDevice, a: NewAddr): number {
  const addrs = dev.inDev.addrs;
  const scope = a.scope ?? (isLoopbackAddr(a.local) ? 'host' : 'global');
  let secondary = false;
  let lastPrimary = 0;
  for (let i = 0; i < addrs.length; i++) {
    const x = addrs[i];
    if (!x.secondary && scopeValue(scope) <= scopeValue(x.scope)) lastPrimary = i + 1;
    if (x.prefixlen === a.prefixlen && inPrefix(a.local, x.local, x.prefixlen)) {
      if (x.local === a.local) return -EEXIST;
      if (x.scope !== scope) return -EINVAL;
      secondary = true;
    }
  }
  const ifa: InIfaddr = {
    local: a.local,
    prefixlen: a.prefixlen,
    broadcast: a.broadcast,
    scope,
    label: a.label ?? dev.name,
    secondary,
  };
  if (secondary) addrs.push(ifa);
  else addrs.splice(lastPrimary, 0, ifa);
  fib_inetaddr_event(w, NETDEV_UP, ifa, dev);
  return 0;
}

/**
 * RTM_DELADDR (`ip addr del`, and ifconfig replacing an address), as
 * __inet_del_ifa does it: each address that leaves is announced on the
 * inetaddr chain (NETDEV_DOWN), where the FIB takes its routes, and, when the
 * device has no address left, disables IPv4 on it.
 */
export function inet_rtm_deladdr(w: World, dev: NetDevice, local: number, prefixlen: number | null): number {
  const addrs = dev.inDev.addrs;
  const i = addrs.findIndex((x) => x.local === local && (prefixlen === null || x.prefixlen === prefixlen));
  if (i < 0) return -EADDRNOTAVAIL;
  const [ifa] = addrs.splice(i, 1);
  if (!ifa.secondary) {
    // Deleting a primary deletes its secondaries too (promote_secondaries is off).
    for (let j = addrs.length - 1; j >= 0; j--) {
      if (addrs[j].secondary && addrs[j].prefixlen === ifa.prefixlen && inPrefix(addrs[j].local, ifa.local, ifa.prefixlen)) {
        const [sec] = addrs.splice(j, 1);
        // The kernel announces these while the primary is still listed: never the last address.
        fib_del_ifaddr(dev, sec);
      }
    }
  }
  fib_inetaddr_event(w, NETDEV_DOWN, ifa, dev);
  return 0;
}

/**
 * inet_select_addr: the source address for talking to `dst` through `dev`:
 * a primary address on `dev` in dst's subnet, else its first primary of a
 * suitable scope, else any suitable address in the namespace.
 */
export function inet_select_addr(dev: NetDevice, dst: number, scope: number): number {
  let addr = 0;
  for (const a of dev.inDev.addrs) {
    if (a.secondary) continue;
    if (scopeValue(a.scope) > scope) continue;
    if (!dst || inPrefix(dst, a.local, a.prefixlen)) return a.local;
    if (!addr) addr = a.local;
  }
  if (addr) return addr;
  for (const d of dev.net.devices) {
    if (d === dev) continue;
    for (const a of d.inDev.addrs) {
      if (a.secondary) continue;
      if (scopeValue(a.scope) <= scope && scopeValue(a.scope) !== RT_SCOPE_LINK) return a.local;
    }
  }
  return 0;
}

// ---- net.ipv4.conf.{all,default,DEV} (devinet_sysctl) ------------------------------

const MODELLED_CONF = new Set<string>(IPV4_DEVCONF_KEYS as readonly string[]);

function devKey(dev: NetDevice): string {
  return String(dev.uid);
}

function confIsSet(dev: NetDevice, key: string): boolean {
  return dev.net.ipv4.devconfState.devSet[devKey(dev)].includes(key);
}

/** IPV4_DEVCONF_SET's bit: the key was written on this device, so conf/default no longer reaches it. */
function confMarkSet(dev: NetDevice, key: string): void {
  const s = dev.net.ipv4.devconfState.devSet[devKey(dev)];
  if (!s.includes(key)) s.push(key);
}

/** inet_forward_change: all.forwarding (alias ip_forward) was changed. */
function inet_forward_change(net: Net): void {
  const on = net.ipv4.devconfAll.forwarding;
  net.ipv4.sysctl.ip_forward = on;
  net.ipv4.devconfAll.accept_redirects = on ? 0 : 1;
  net.ipv4.devconfDflt.forwarding = on;
  for (const dev of net.devices) {
    dev.inDev.conf.forwarding = on;
    confMarkSet(dev, 'forwarding');
  }
}

/** devinet_sysctl_forward on conf/all/forwarding (and net.ipv4.ip_forward, the same value): only a change propagates. */
export function devinet_sysctl_forward_all(net: Net, text: string): number {
  const v = parseProcInt(text);
  if (v === null) return EINVAL;
  if (v !== net.ipv4.devconfAll.forwarding) {
    net.ipv4.devconfAll.forwarding = v;
    inet_forward_change(net);
  }
  return 0;
}

type ConfWho = { kind: 'all' } | { kind: 'default' } | { kind: 'dev'; dev: NetDevice };

function confGet(net: Net, who: ConfWho, key: string): number {
  if (MODELLED_CONF.has(key)) {
    const conf = who.kind === 'all' ? net.ipv4.devconfAll : who.kind === 'default' ? net.ipv4.devconfDflt : who.dev.inDev.conf;
    return conf[key as keyof Ipv4DevConf];
  }
  const b = net.ipv4.devconfState;
  if (who.kind === 'dev') return b.extra[devKey(who.dev)][key];
  return b.extra[who.kind][key];
}

function confPut(net: Net, who: ConfWho, key: string, v: number): void {
  if (MODELLED_CONF.has(key)) {
    const conf = who.kind === 'all' ? net.ipv4.devconfAll : who.kind === 'default' ? net.ipv4.devconfDflt : who.dev.inDev.conf;
    conf[key as keyof Ipv4DevConf] = v;
    return;
  }
  const b = net.ipv4.devconfState;
  if (who.kind === 'dev') b.extra[devKey(who.dev)][key] = v;
  else b.extra[who.kind][key] = v;
}

/** The proc handler of a conf key: devinet_sysctl_forward for forwarding, devinet_conf_proc for the rest. */
function devinet_conf_write(net: Net, who: ConfWho, key: string, text: string): number {
  if (key === 'mc_forwarding') return EACCES;
  const v = parseProcInt(text);
  if (v === null) return EINVAL;
  if (key === 'forwarding') {
    // devinet_sysctl_forward: only "all" propagates, and only on a change.
    if (who.kind === 'all') return devinet_sysctl_forward_all(net, text);
    confPut(net, who, key, v);
    return 0;
  }
  // devinet_conf_proc: the key is now set on this conf; a default write reaches devices that never set it.
  confPut(net, who, key, v);
  if (who.kind === 'dev') confMarkSet(who.dev, key);
  if (who.kind === 'default') {
    const b = net.ipv4.devconfState;
    if (!b.dfltSet.includes(key)) b.dfltSet.push(key);
    for (const dev of net.devices) if (!confIsSet(dev, key)) confPut(net, { kind: 'dev', dev }, key, v);
  }
  return 0;
}

function devinet_conf_table(net: Net, who: ConfWho): CtlDir {
  return ctlDir(() =>
    IPV4_DEVCONF_ALL_KEYS.map(
      (k) =>
        [
          k,
          () =>
            ctlIntFile(
              () => confGet(net, who, k),
              (t) => devinet_conf_write(net, who, k, t),
            ),
        ] as [string, () => CtlNode],
    ),
  );
}

/** net.ipv4.conf: all, default and one directory per device (__devinet_sysctl_register), by name. */
export function devinet_sysctl_dir(net: Net): CtlDir {
  return ctlDir(() => {
    const list: [string, () => CtlNode][] = [
      ['all', () => devinet_conf_table(net, { kind: 'all' })],
      ['default', () => devinet_conf_table(net, { kind: 'default' })],
    ];
    for (const dev of net.devices) list.push([dev.name, () => devinet_conf_table(net, { kind: 'dev', dev })]);
    return list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  });
}
