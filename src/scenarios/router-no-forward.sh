# The same ns1 <-> r <-> ns2 topology with ip_forward=0 in r: the router silently drops, ping gets nothing.
ip netns add ns1
ip netns add r
ip netns add ns2
ip link add veth1 type veth peer name veth1r
ip link add veth2 type veth peer name veth2r
ip link set veth1 netns ns1
ip link set veth1r netns r
ip link set veth2 netns ns2
ip link set veth2r netns r
ip -n ns1 addr add 10.1.1.2/24 dev veth1
ip -n r addr add 10.1.1.1/24 dev veth1r
ip -n r addr add 10.2.2.1/24 dev veth2r
ip -n ns2 addr add 10.2.2.2/24 dev veth2
ip -n ns1 link set veth1 up
ip -n r link set veth1r up
ip -n r link set veth2r up
ip -n ns2 link set veth2 up
ip -n ns1 route add default via 10.1.1.1
ip -n ns2 route add default via 10.2.2.1
ip netns exec r sysctl net.ipv4.ip_forward
ip netns exec r tcpdump -i veth1r
ip netns exec r tcpdump -i veth2r
ip netns exec ns1 ping -c 1 -W 2 10.2.2.2
ip netns exec ns1 ping -c 1 10.1.1.1
ip -n ns1 neigh show
ip -n r neigh show dev veth1r
ip -n r neigh show dev veth2r
