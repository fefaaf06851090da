# The peer end veth1 is set down: veth0 shows NO-CARRIER/LOWERLAYERDOWN and a ping over it fails.
ip netns add ns1
ip link add veth0 type veth peer name veth1
ip link set veth1 netns ns1
ip addr add 10.1.1.1/24 dev veth0
ip link set veth0 up
ip netns exec ns1 ip addr add 10.1.1.2/24 dev veth1
ip netns exec ns1 ip link set veth1 up
ip netns exec ns1 ip link set veth1 down
ip link show veth0
ip -n ns1 link show veth1
ip -br a
ip route show
tcpdump -i veth0
ping -c 1 -W 5 10.1.1.2
ip neigh show
ip -s link show veth0
