ip link add veth0 type veth peer name veth1
ip addr add 10.1.1.1/24 dev veth0
ip addr add 10.1.1.2/24 dev veth0 label veth0:1
ip addr add 10.1.1.3/24 dev veth0
ip link set veth0 up
ifconfig
ifconfig veth0:1
ifconfig -a
