ip link add veth0 type veth peer name veth1
ip link show
ip -br link
ip link set veth0 up
ip link show veth0
ip -br link show veth0
ip link set veth1 up
ip link show
ip -br link
ip link set veth0 down
ip link show
ip link add br0 type bridge
ip link show br0
ip link set veth1 master br0
ip link show
ip -br link show master br0
ip link show type bridge
ip link show type veth
ip link show up
ip link set veth1 nomaster
ip link show veth1
ip link set veth0 mtu 1400
ip link set veth0 address 02:11:22:33:44:55
ip link show veth0
ip link set veth0 txqueuelen 500 arp off
ip link show veth0
ip link set veth0 name vethX
ip link show vethX
ip link del br0
ip link del vethX
ip link show
ip -br link
ip link l
ip link lst
ip li
ip l sh lo
ip -o link
