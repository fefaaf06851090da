// A veth pair between the host and a namespace.
// From test/fixtures/kernel/netns-pair/scenario.sh.
export const NETNS_PAIR_SCENARIO = `# A veth pair between the host and a namespace, as a container runtime makes it.
ip netns add ns1
ip link add veth0 type veth peer name veth1
ip link set veth1 netns ns1
ip addr add 10.1.1.1/24 dev veth0
ip link set veth0 up
ip netns exec ns1 ip addr add 10.1.1.2/24 dev veth1
ip netns exec ns1 ip link set veth1 up
ip netns exec ns1 ip link set lo up
ip -br link
ip netns exec ns1 ip addr show veth1
tcpdump -i veth0
ip netns exec ns1 tcpdump -i veth1
ping -c 2 10.1.1.2
ip route show
ip neigh show dev veth0
ip netns exec ns1 ip neigh show
`;
