# TTL running out on the way: h1 pings h2, two routers away. With -t 2 the second router r2 gets the packet with TTL 1, cannot forward it and answers Time to live exceeded; with -t 3 it arrives.
ip netns add h1
ip netns add r1
ip netns add r2
ip netns add h2
ip link add v1 type veth peer name v1r
ip link add v2 type veth peer name v2r
ip link add v3 type veth peer name v3r
ip link set v1 netns h1
ip link set v1r netns r1
ip link set v2 netns r1
ip link set v2r netns r2
ip link set v3 netns r2
ip link set v3r netns h2
ip -n h1 addr add 10.1.1.2/24 dev v1
ip -n r1 addr add 10.1.1.1/24 dev v1r
ip -n r1 addr add 10.2.2.1/24 dev v2
ip -n r2 addr add 10.2.2.2/24 dev v2r
ip -n r2 addr add 10.3.3.1/24 dev v3
ip -n h2 addr add 10.3.3.2/24 dev v3r
ip -n h1 link set v1 up
ip -n r1 link set v1r up
ip -n r1 link set v2 up
ip -n r2 link set v2r up
ip -n r2 link set v3 up
ip -n h2 link set v3r up
ip -n h1 route add default via 10.1.1.1
ip -n r1 route add 10.3.3.0/24 via 10.2.2.2
ip -n r2 route add default via 10.2.2.1
ip -n h2 route add default via 10.3.3.1
ip netns exec r1 sysctl -w net.ipv4.ip_forward=1
ip netns exec r2 sysctl -w net.ipv4.ip_forward=1
ip netns exec r2 tcpdump -i v2r
ip netns exec h1 ping -c 1 -t 2 10.3.3.2
ip netns exec h1 ping -c 1 -t 3 10.3.3.2
ip -n r2 neigh show dev v2r
ip -n r2 neigh show dev v3
