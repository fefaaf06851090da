#!/bin/bash
# Re-records realcases/NAME.out from NAME.sh on a real Linux machine (as root):
#   bash record.sh NAME.sh [...]
# Each script runs through `bash < NAME.sh` in a private network + mount
# namespace (own /run/netns), lo up and IPv6 off, like the kernel recordings;
# every `ip netns add X` also gets lo up and IPv6 off in X. MACs are then
# labelled M1, M2... in order of first appearance. Check a new .out by hand:
# link state right after `ip link set ... up` can be racy (linkwatch).
set -e
cd "$(dirname "$0")"
cat > /tmp/realcases-env.sh <<'ENV'
ip() {
  command ip "$@"; local rc=$?
  if [ "$1" = netns ] && [ "$2" = add ] && [ $rc -eq 0 ] && [ -n "$3" ]; then
    command ip netns exec "$3" sh -c 'sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip link set lo up'
  fi
  return $rc
}
ENV
for f in "$@"; do
  unshare --net --mount bash -c '
    mount -t tmpfs none /run/netns
    sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip link set lo up
    BASH_ENV=/tmp/realcases-env.sh bash < "$1" 2>&1
  ' _ "$f" | python3 -c '
import re, sys
m = {}
def rep(x):
    v = x.group(0)
    if v in ("ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00"):
        return v
    m.setdefault(v, "M%d" % (len(m) + 1))
    return m[v]
sys.stdout.write(re.sub(r"\b([0-9a-f]{2}:){5}[0-9a-f]{2}\b", rep, sys.stdin.read()))
' > "${f%.sh}.out"
done
