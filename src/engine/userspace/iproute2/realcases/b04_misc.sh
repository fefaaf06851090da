ip netns add ns1
ip link add veth0 type veth peer name veth1
ip link set veth1 netns ns1
ip -n ns1 link
ip link add vA type veth peer vB
ip link add name vC type veth peer name vD
ip link add vE type veth peer
ip link add veth7 type veth
ip link add veth8 type veth peer name veth8
ip link add vH type veth peer name vI mtu 9000 address 02:00:00:00:00:99
ip link add vJ mtu 1280 type veth peer name vK
ip link add vL netns ns1 type veth peer name vM
ip link show
ip -n ns1 link
ip link add br0 type bridge stp_state 0
ip link add dummy0 type dummy
ip link set vA master br0
ip link set vA master br0
ip link set br0 master br0
ip link set lo master br0
ip link show vA
ip link set vA netns ns1
ip -n ns1 link show vA
ip link set vC up
ip link set vC arp off
ip link set vC arp bogus
ip link set vC promisc on
ip -br link show vC
ip link set lo address 02:00:00:00:00:01
ip link show lo
ip link set lo mtu 1000
ip link show lo
ip route show table local
