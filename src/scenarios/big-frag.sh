# A 3000-byte ping over a veth pair: fragments both ways, reassembled at each end.
ip netns add ns1
ip link add veth0 type veth peer name veth1
ip link set veth1 netns ns1
ip addr add 10.6.6.1/24 dev veth0
ip link set veth0 up
ip -n ns1 addr add 10.6.6.2/24 dev veth1
ip -n ns1 link set veth1 up
tcpdump -i veth0
ping -c 1 -s 3000 10.6.6.2
ip -s link show veth0
