ip link add veth0 type veth peer name veth1
ip link add veth2 type veth peer name veth3
ip addr add 10.1.1.1/24 dev veth0
ip addr add 10.1.1.2/24 dev veth1
ip link set veth0 up
ip link set veth1 up
ip route get 10.1.1.3
ip route add default via 10.1.1.254
ip route get 10.1.1.2
ip route get 10.1.1.1
ip route get 127.0.0.1
ip route get 127.0.0.5
ip route get 8.8.8.8
ip route get 10.1.1.255
ip route get 255.255.255.255
ip route get 224.0.0.1
ip route get 10.1.1.2 from 10.1.1.1
ip route get 10.1.1.2 oif veth1
ip route get 10.1.1.2 from 10.1.1.2 oif veth0
ip route get 10.1.1.2 oif veth0
ip route get 10.1.1.2 dev veth0
ip route get 10.1.1.2 oif veth2
ip link set veth2 up
ip route get 10.1.1.2 oif veth2
ip route get 10.1.1.2 oif lo
ip route get 10.1.1.2 from 10.9.9.9
ip route get 10.2.2.2 from 10.1.1.1
ip route get 10.1.1.2 mark 0
ip route del default
ip route get 8.8.8.8
ip route get foo
ip route get 10.1.1.2 oif veth9
ip route get
ip route get 10.1.1.0/24
ip route get to 10.1.1.2
ip -4 route get 10.1.1.2
ip r g 127.0.0.1
ip link set veth0 down
ip route get 10.1.1.3
ip route get 10.1.1.3 oif veth0
ip route get 10.1
ip route get 0.0.0.0
