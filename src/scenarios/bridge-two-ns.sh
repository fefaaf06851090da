# A host bridge br0 (no address) with two veth ports leading into ns1 and ns2; ns1 pings ns2 across it.
ip netns add ns1
ip netns add ns2
ip link add br0 type bridge
ip link set br0 address 02:00:00:00:00:b0
ip link add veth1 type veth peer name veth1br
ip link add veth2 type veth peer name veth2br
ip link set veth1 netns ns1
ip link set veth2 netns ns2
ip link set veth1br master br0
ip link set veth2br master br0
ip link set br0 up
ip link set veth1br up
ip link set veth2br up
ip -n ns1 addr add 10.1.1.1/24 dev veth1
ip -n ns2 addr add 10.1.1.2/24 dev veth2
ip -n ns1 link set veth1 up
ip -n ns2 link set veth2 up
ip -br link
ip link show master br0
tcpdump -i br0
tcpdump -i veth2br
ip netns exec ns1 ping -c 2 10.1.1.2
ip -n ns1 neigh show
ip -n ns2 neigh show
ip neigh show
