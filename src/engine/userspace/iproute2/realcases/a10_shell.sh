ip link add veth0 type veth peer name veth1 # trailing comment
# a comment
ip -br link ; ip -br addr
ip link \
  show veth0
