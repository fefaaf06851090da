ip link add veth0 type veth peer name veth1
ip addr add 10.1.1.1/24 dev veth0
ip addr add 10.1.1.5/24 dev veth0
ip addr add 10.2.0.1/16 brd + dev veth0
ip addr add 10.3.0.1/16 brd 10.3.1.255 dev veth0
ip addr add 10.4.0.1 dev veth0
ip addr add 10.1.1.1/24 dev veth0
ip addr add 10.1.1.1/25 dev veth0
ip addr show dev veth0
ip -br addr
ip -br addr show veth0
ip -4 addr
ip -4 -br addr
ip -6 addr
ip -0 addr show veth0
ip addr show up
ip a s
ip a l
ip addr lst
ip -o addr
ip addr show scope host
ip addr show to 10.1.0.0/16
ip addr show primary
ip addr show secondary
ip addr del 10.9.1.9/24 dev veth0
ip addr del 10.1.1.1/26 dev veth0
ip addr del 10.4.0.1 dev veth0
ip addr del 10.1.1.5/24 dev veth0
ip addr show veth0
ip addr add 10.1.1.3/24 dev veth0 label veth0:1
ip addr show veth0
ip addr del dev veth0
ip addr del 10.1.1.1/24
ip addr add 10.1.1.1/24
ip addr add 10.1.1.300/24 dev veth0
ip addr add 10.1.1.3/24 dev veth9
ip addr add 10.1.1.3/24 brd foo dev veth0
ip addr add 10.1.1.3/24 scope foo dev veth0
ip -4 addr add foo dev veth0
ip a d
ip addr flush
ip addr flush dev veth0
ip addr show veth0
ip addr foo
ip link set veth0 up
ip addr add 10.7.7.7/24 dev veth0
ip link set veth1 up
ip addr
ip -s addr show veth0
