// The kernel's initcalls: loading these modules registers the drivers'
// net_device_ops, the protocols' packet types (ptype_base) and IPv4's
// transport protocols (inet_protos). Whatever runs the kernel imports this.
import '../drivers/net/veth.ts';
import '../drivers/net/loopback.ts';
import './bridge/br.ts';
import './bridge/br_netfilter_hooks.ts';
import './ipv4/ip_input.ts';
import './ipv4/arp.ts';
import './ipv4/icmp.ts';
import './ipv4/udp.ts';
import './ipv4/af_inet.ts';
import './ipv4/tcp_ipv4.ts';
import './ipv4/tcp_diag.ts';
