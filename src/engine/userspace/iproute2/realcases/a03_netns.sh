ip netns add ns1
ip netns add ns2
ip netns list
ip netns
ip link add veth0 type veth peer name veth1
ip link set veth1 netns ns1
ip netns list
ip -n ns1 netns list
ip link show
ip -n ns1 link show
ip -br link
ip -n ns1 -br link
ip netns exec ns1 ip link set veth1 up
ip link set veth0 up
ip link show veth0
ip -n ns1 addr
ip link add vA type veth peer name vB netns ns2
ip link show vA
ip -n ns2 link
ip netns list
ip -n ns2 netns list
ip link set vA netns ns1
ip -n ns1 link
ip -n ns2 link
ip netns del ns9
ip netns add ns1
ip netns add a/b
ip netns add ..
ip netns exec ns9 ip link
ip netns exec ns1
ip netns exec
ip netns add
ip netns del
ip netns foo
ip netns identify
ip netns exec ns1 ip netns identify
ip netns del ns2
ip netns list
ip -n ns1 link
