ip link add veth0 type veth peer name veth1
echo 1 > /proc/sys/net/ipv4/nosuch
echo 1x > /proc/sys/net/ipv4/ip_forward
echo 300 > /proc/sys/net/ipv4/ip_default_ttl
echo 1 > /proc/sys/net/core/netdev_max_backlog
echo 1 >> /proc/sys/net/ipv4/ip_forward
sysctl net.ipv4.ip_forward net.ipv4.conf.veth0.forwarding
echo " 7 " > /proc/sys/net/ipv4/ip_forward
sysctl net.ipv4.ip_forward
echo 5 6 > /proc/sys/net/ipv4/ip_forward
sysctl net.ipv4.ip_forward
echo > /proc/sys/net/ipv4/ip_forward
echo -n 3 > /proc/sys/net/ipv4/ip_forward
sysctl net.ipv4.ip_forward
echo 1 > /proc/sys/net/ipv4/conf
echo 1 > /proc/sys/net/ipv4/conf/nosuch/rp_filter
echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter
echo 1 > /proc/sys/net/ipv4/conf/veth1/accept_local
echo 1 > /proc/sys/net/ipv4/conf/default/rp_filter
sysctl net.ipv4.conf.veth1.accept_local net.ipv4.conf.veth1.rp_filter net.ipv4.conf.all.rp_filter
echo 2 > /proc/sys/net/ipv4/conf/all/mc_forwarding
echo -1 > /proc/sys/net/ipv4/conf/veth0/rp_filter
sysctl net.ipv4.conf.veth0.rp_filter
