#!/bin/bash
# cleanup-stale.sh PREFIX - remove what a crashed run with namespace prefix PREFIX left behind:
# processes inside its namespaces (by PID), the namespaces, and its root-ns veth PREFIXu0.
# Only touches names starting with PREFIX (e.g. kio1a2b from lib.sh, kj1a2b from the jest suite);
# never sweep a prefix another run may still be using.
set -u
p=${1:?usage: cleanup-stale.sh PREFIX}
[ ${#p} -ge 4 ] || { echo "prefix too short: $p" >&2; exit 2; }
for n in $(ip netns list | awk '{print $1}' | grep "^$p"); do
  for pid in $(ip netns pids "$n" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
  ip netns del "$n" && echo "deleted netns $n"
done
ip link show dev "${p}u0" >/dev/null 2>&1 && ip link del dev "${p}u0" && echo "deleted link ${p}u0"
exit 0
