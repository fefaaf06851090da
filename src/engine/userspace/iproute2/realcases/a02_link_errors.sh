ip link add veth0 type veth peer name veth1
ip link add veth0 type veth peer name veth2
ip link add veth3 type veth peer name veth1
ip link add veth0 type bridge
ip link add br0 type foo
ip link add br0
ip link add
ip link add averyveryverylongname type veth peer name x
ip link add x type veth peer name averyveryverylongname
ip link add name averyveryverylongname type veth
ip link add a/b type veth
ip link set veth9 up
ip link set dev veth9 up
ip link set veth0 foo
ip link set veth0 mtu 20
ip link set veth0 mtu 70000
ip link set veth0 mtu abc
ip link set veth0 mtu 1400 mtu 1300
ip link set veth0 address zz
ip link set veth0 address 01:00:00:00:00:01
ip link set veth0 netns nsX
ip link set veth0 master br9
ip link set veth0 master veth1
ip link del veth9
ip link del lo
ip link del
ip link show veth9
ip link show dev veth9
ip link show veth0 veth1
ip link show dev
ip addr show veth9
ip link set
ip link s
ip link set lo netns 1
ip link foo
ip foo
ip addresses
ip -foo
ip -n
ip -n nosuch link
ip
ip -s
ip link set veth0 name veth1
ip link set veth0 name averyveryverylongname
ip link add x type veth peer name y up
ip link add z type veth peer name z
ip link show
