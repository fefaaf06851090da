// Ping over the loopback device.
// From test/fixtures/kernel/lo-ping/scenario.sh.
export const LO_PING_SCENARIO = `# The loopback device that veth is modelled on.
ip addr show lo
tcpdump -i lo
ping -c 2 127.0.0.1
ip route show table local
`;
