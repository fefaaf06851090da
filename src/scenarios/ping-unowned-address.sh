# Ping an address on the veth subnet that nobody owns: 3 broadcast ARP probes, then a local ICMP host unreachable.
ip netns add ns1
ip link add veth0 type veth peer name veth1
ip link set veth1 netns ns1
ip addr add 10.1.1.1/24 dev veth0
ip link set veth0 up
ip netns exec ns1 ip addr add 10.1.1.2/24 dev veth1
ip netns exec ns1 ip link set veth1 up
tcpdump -i veth0
ping -c 1 -W 5 10.1.1.9
ip neigh show
ip netns exec ns1 ip neigh show
