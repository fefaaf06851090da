ip link add veth0 type veth peer name veth1
ip addr add 10.1.1.1/24 dev veth0
ip route add 10.9.0.0/24 dev veth0
ip route show table local
ip link set veth0 up
ip route add 10.9.0.0/24 dev veth0
ip route add default via 10.1.1.254
ip route add 10.8.0.0/16 via 10.1.1.253 dev veth0 metric 100
ip route add 10.8.0.0/16 via 10.1.1.252 dev veth0 metric 50 proto static
ip route add 10.7.0.0/16 via 10.1.1.252 src 10.1.1.1
ip route add 10.6.0.0/16 via 10.1.1.252 src 10.1.1.9
ip route add 10.5.0.0/16 via 10.2.2.2
ip route add 10.9.0.0/24 dev veth0
ip route add 10.9.0.0/24 dev veth9
ip route add 10.9.0.0/33 dev veth0
ip route add 10.9.0.0 dev veth0
ip route add foo dev veth0
ip route add 10.4.0.0/16
ip route add 10.3.0.1/16 dev veth0
ip route show
ip r
ip route show table local
ip route show table all
ip route show table main
ip route show table 255
ip route show table foo
ip route show table 100
ip route show dev veth0
ip route show via 10.1.1.254
ip route show proto kernel
ip route show scope link
ip route show type local table local
ip route show table local dev lo
ip route show 10.1.1.0/24
ip route show default
ip route show root 10.0.0.0/8
ip route show match 10.9.1.1
ip route show src 10.1.1.1
ip route show metric 100
ip route show dev veth9
ip route del 10.9.0.0/24
ip route del 10.9.0.0/24
ip route del default
ip route del 10.8.0.0/16 via 10.1.1.252
ip route replace 10.8.0.0/16 via 10.1.1.251 metric 100
ip route change 10.99.0.0/16 via 10.1.1.251
ip route show
ip route flush
ip route flush dev veth0
ip route show table all
ip route foo
ip -6 route
ip -4 route
