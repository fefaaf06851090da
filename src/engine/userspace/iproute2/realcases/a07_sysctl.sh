ip link add veth0 type veth peer name veth1
sysctl net.core.netdev_max_backlog net.core.dev_weight net.core.netdev_budget net.core.netdev_budget_usecs
sysctl net.ipv4.ip_forward net.ipv4.ip_default_ttl net.ipv4.icmp_echo_ignore_all net.ipv4.icmp_echo_ignore_broadcasts
sysctl net.ipv4.conf.veth0.rp_filter net/ipv4/conf/veth0/rp_filter
sysctl net.ipv4.nosuch
sysctl -w net.ipv4.nosuch=1
sysctl net.ipv4.ip_forward=1
sysctl -w net.ipv4.ip_forward=1
sysctl -w net.ipv4.ip_forward = 1
sysctl -w net.ipv4.ip_forward
sysctl net.ipv4.conf.all.forwarding net.ipv4.conf.default.forwarding net.ipv4.conf.veth0.forwarding net.ipv4.conf.lo.forwarding net.ipv4.conf.all.accept_redirects
sysctl -w net.ipv4.ip_default_ttl=abc
sysctl -w net.ipv4.ip_default_ttl=0
sysctl -w net.ipv4.ip_default_ttl=300
sysctl -w net.ipv4.ip_default_ttl=
sysctl -w "net.ipv4.ip_default_ttl= 12"
sysctl -q -w net.ipv4.ip_default_ttl=13
sysctl -n net.ipv4.ip_default_ttl
sysctl -wq net.ipv4.conf.veth0.rp_filter=2 net.ipv4.conf.veth0.accept_local=1
sysctl -n net.ipv4.conf.veth0.rp_filter net.ipv4.conf.veth0.accept_local
sysctl -w net.ipv4.conf.veth0.rp_filter=3
sysctl -w net.ipv4.conf.veth0.rp_filter=-1
sysctl -w net.ipv4.conf.veth0.rp_filter=1x
sysctl -w net.ipv4.conf.veth0.rp_filter=99999999999
sysctl -w net.ipv4.conf.veth0.rp_filter=0x10
sysctl net.ipv4.conf.veth0.rp_filter
sysctl -w net.ipv4.ip_forward=0
sysctl net.ipv4.conf.all.forwarding net.ipv4.conf.veth0.forwarding
sysctl -w net.ipv4.conf.all.forwarding=1
sysctl net.ipv4.ip_forward net.ipv4.conf.veth0.forwarding net.ipv4.conf.default.forwarding
sysctl -w net.ipv4.conf.veth0.forwarding=0
sysctl net.ipv4.ip_forward net.ipv4.conf.all.forwarding
sysctl -w net.ipv4.conf.veth0.accept_local=0 net.ipv4.conf.default.accept_local=1 net.ipv4.conf.default.rp_filter=2
sysctl net.ipv4.conf.veth0.accept_local net.ipv4.conf.veth0.rp_filter net.ipv4.conf.veth1.accept_local net.ipv4.conf.veth1.rp_filter net.ipv4.conf.lo.rp_filter
ip link add veth5 type veth peer name veth6
sysctl -w net.ipv4.conf.default.rp_filter=1
sysctl net.ipv4.conf.veth5.rp_filter net.ipv4.conf.veth1.rp_filter
sysctl net.ipv4.nosuch net.ipv4.nosuch2
sysctl net.ipv4.nosuch net.ipv4.ip_forward=1
sysctl net.ipv4.ip_default_ttl=0 net.ipv4.nosuch
sysctl -e net.ipv4.nosuch
sysctl -N net.ipv4.ip_forward
sysctl net..ipv4.ip_forward
sysctl net.ipv4.ip_forward/
sysctl /proc/sys/net/ipv4/ip_forward
sysctl net.ipv4.conf.veth0
sysctl net.ipv4.neigh.veth0
sysctl -w net.ipv4.neigh.veth0.base_reachable_time_ms=1000
sysctl net.ipv4.neigh.veth0.base_reachable_time net.ipv4.neigh.veth0.base_reachable_time_ms
sysctl -w net.ipv4.neigh.veth0.retrans_time_ms=1234
sysctl net.ipv4.neigh.veth0.retrans_time net.ipv4.neigh.veth0.retrans_time_ms
sysctl -w net.ipv4.neigh.veth0.unres_qlen=5 net.ipv4.neigh.veth0.ucast_solicit=-1 net.ipv4.neigh.veth0.interval_probe_time_ms=0
sysctl net.ipv4.neigh.veth0.unres_qlen_bytes net.ipv4.neigh.default.ucast_solicit
sysctl -w net.ipv4.icmp_echo_ignore_all=5
sysctl -w net.ipv4.ping_group_range="0 2147483647"
sysctl net.ipv4.ping_group_range net.ipv4.icmp_ratelimit net.ipv4.icmp_ratemask
sysctl -w net.ipv4.conf.all=1
sysctl
sysctl -x
