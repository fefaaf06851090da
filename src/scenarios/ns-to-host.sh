# Ping from inside a namespace to the host end, with captures on both ends and a second ping a little later.
ip netns add ns1
ip link add veth0 type veth peer name veth1
ip link set veth1 netns ns1
ip addr add 10.7.7.1/24 dev veth0
ip link set veth0 up
ip netns exec ns1 ip addr add 10.7.7.2/24 dev veth1
ip netns exec ns1 ip link set veth1 up
tcpdump -i veth0
ip netns exec ns1 tcpdump -i veth1
ip netns exec ns1 ping -c 3 -i 0.2 10.7.7.1
ip netns exec ns1 ping -c 1 -I veth1 10.7.7.1
ip neigh
ip netns exec ns1 ip neigh
ifconfig veth0
