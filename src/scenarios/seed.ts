// The default scenario: the seed article (veth pair in one namespace).
// From test/fixtures/kernel/seed-veth-same-ns/scenario.sh.
export const SEED_SCENARIO = `# The seed article: a veth pair in one namespace, rp_filter off, accept_local on, ping bound to veth0.
ip link add veth0 type veth peer name veth1
ip link show
ip addr add 192.168.1.1/24 dev veth0
ip addr add 192.168.1.2/24 dev veth1
ip link set veth0 up
ip link set veth1 up
ifconfig
echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter
echo 0 > /proc/sys/net/ipv4/conf/veth0/rp_filter
echo 0 > /proc/sys/net/ipv4/conf/veth1/rp_filter
echo 1 > /proc/sys/net/ipv4/conf/veth1/accept_local
echo 1 > /proc/sys/net/ipv4/conf/veth0/accept_local
tcpdump -i veth0
ping -c 2 -I veth0 192.168.1.2
ip neigh show dev veth0
ip neigh show dev veth1
`;
