# Two containers on a Docker-style bridge: docker0 holds the gateway address, each container's end of its veth is called eth0, and c1 pings c2 across the bridge.
ip netns add c1
ip netns add c2
ip link add docker0 type bridge
ip link set docker0 address 02:42:00:00:00:01
ip addr add 172.17.0.1/16 dev docker0
ip link set docker0 up
ip link add vethc1 type veth peer name eth0 netns c1
ip link set vethc1 master docker0
ip link set vethc1 up
ip -n c1 addr add 172.17.0.2/16 dev eth0
ip -n c1 link set eth0 up
ip -n c1 route add default via 172.17.0.1
ip link add vethc2 type veth peer name eth0 netns c2
ip link set vethc2 master docker0
ip link set vethc2 up
ip -n c2 addr add 172.17.0.3/16 dev eth0
ip -n c2 link set eth0 up
ip -n c2 route add default via 172.17.0.1
ip link show master docker0
sleep 1
tcpdump -i vethc2
ip netns exec c1 ping -c 2 172.17.0.3
ip -n c1 neigh show
ip -n c2 neigh show
ip neigh show dev docker0
