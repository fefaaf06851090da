ip netns add ns1
ip link add veth0 type veth peer name veth1
ip link add br0 type bridge
ip addr add 10.1.1.1/24 dev veth0
ip addr add 10.1.1.5/24 dev veth0
ip addr add 10.2.0.1/16 brd + dev veth0
ip link set veth0 up
ifconfig
ifconfig -a
ifconfig veth1
ifconfig veth9
ifconfig -s
ifconfig -a -s
ip link set veth1 up
ifconfig veth1
ifconfig lo
ifconfig veth1 10.3.3.3
ip addr show veth1
ifconfig veth1 10.3.3.4 netmask 255.255.255.0
ip addr show veth1
ifconfig veth1 10.3.3.5/25
ip addr show veth1
ifconfig veth1 down
ip link show veth1
ifconfig veth1 up
ifconfig veth1 172.16.0.1 netmask 255.255.0.0 broadcast 172.16.255.255 up
ip addr show veth1
ifconfig veth1 mtu 1400
ifconfig veth9 up
ifconfig veth0 foo
ifconfig veth1 netmask 255.255.0.0
ifconfig veth1 0.0.0.0
ip addr show veth1
ifconfig veth1 hw ether 02:00:00:00:00:01
ifconfig veth1 mtu 10
ifconfig veth1 mtu abc
ifconfig veth9 10.0.0.1
ifconfig veth1 promisc -arp allmulti
ifconfig veth1
ifconfig -s veth1
ip link add averylongname15 type veth peer name v10
ip link add v2 type veth peer name v9
ifconfig -a -s
