# tools/interop/lib.sh - bash helpers for kame <-> Linux interop runs in network namespaces.
#
#   . tools/interop/lib.sh
#   iop_init                   # per-run prefix, work dir, EXIT/INT/TERM trap -> iop_cleanup
#   iop_underlay               # root-ns veth <-> namespace U on a free 169.254.x.y/30, MTU 9000
#   iop_ns L                   # namespace ${IOP_P}L (lo up, forwarding 0)
#   iop_vxlan L vx0 4242 "$KPORT" "$UPORT" 02:00:5e:00:00:01
#   iop_capture l-vx0 L vx0    # tcpdump inside L, waits until it is listening
#   iop_wait_for 5 "DAD on vx0" iop_no_tentative L vx0
#   ...                        # everything made is removed on exit, also on failure
#
# Every namespace, root-ns link and background process is recorded when made and removed by
# iop_cleanup (kill by PID, then whatever still runs inside our namespaces, then the namespaces,
# then the links). Names carry the per-run prefix IOP_P so parallel runs never clash.
# Correctness never depends on fixed sleeps: wait with iop_wait_for (polling with a deadline).

IOP_P=${IOP_P:-kio$(printf '%04x' $(( ($$ ^ RANDOM) & 0xffff )))}
IOP_WORK=${IOP_WORK:-/tmp/kame-interop/$IOP_P}
IOP_PCAPS=${IOP_PCAPS:-$IOP_WORK/pcaps}
IOP_PIDS=()
IOP_CAP_PIDS=()
IOP_NSS=()
IOP_LINKS=()

iop_log() { printf '### %s\n' "$*" >&2; }
iop_die() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

iop_init() {
  mkdir -p "$IOP_WORK" "$IOP_PCAPS"
  trap 'iop_cleanup' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# iop_wait_for DEADLINE_S WHAT cmd...  -> poll cmd every 0.1 s until it succeeds; 1 + message on timeout
iop_wait_for() {
  local deadline=$1 what=$2; shift 2
  local end; end=$(( $(date +%s%N) + deadline * 1000000000 ))
  while ! "$@" >/dev/null 2>&1; do
    if [ "$(date +%s%N)" -ge "$end" ]; then
      printf 'timeout after %ss waiting for %s\n' "$deadline" "$what" >&2
      return 1
    fi
    sleep 0.1
  done
}

# iop_ns NAME -> namespace $IOP_P$NAME, lo up, IPv6 on, forwarding off (a host)
iop_ns() {
  local n=$IOP_P$1
  ip netns add "$n" || return 1
  IOP_NSS+=("$n")
  ip -n "$n" link set dev lo up
  ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0 \
    net.ipv6.conf.all.forwarding=0
}

# iop_nx NAME cmd... -> run in namespace $IOP_P$NAME
iop_nx() { local n=$IOP_P$1; shift; ip netns exec "$n" "$@"; }

# iop_bg NAME cmd...        -> background process in the root ns, log in $IOP_WORK/NAME.log; sets IOP_LAST_PID
# iop_bgn NAME NS cmd...    -> same inside namespace NS (ip netns exec execs, so the PID is the program's)
iop_bg() {
  local name=$1; shift
  "$@" >"$IOP_WORK/$name.log" 2>&1 &
  IOP_LAST_PID=$!
  IOP_PIDS+=("$IOP_LAST_PID")
}
iop_bgn() {
  local name=$1 ns=$IOP_P$2; shift 2
  ip netns exec "$ns" "$@" >"$IOP_WORK/$name.log" 2>&1 &
  IOP_LAST_PID=$!
  IOP_PIDS+=("$IOP_LAST_PID")
}

# iop_free_slash30 -> prints "A.B" such that 169.254.A.B/30 (B = network) is unused in the root ns
iop_free_slash30() {
  local used a b i
  used=$(ip -4 -o addr show | awk '{print $4}')
  for i in $(seq 1 200); do
    a=$(( (RANDOM % 250) + 2 )); b=$(( (RANDOM % 64) * 4 ))
    [ "$a" = 47 ] && continue   # the reference demos use 169.254.47.0/30
    if ! grep -q "^169\.254\.$a\.\($b\|$((b + 1))\|$((b + 2))\|$((b + 3))\)/" <<<"$used"; then
      echo "$a.$b"; return 0
    fi
  done
  return 1
}

# iop_underlay -> namespace ${IOP_P}U joined to the root ns by veth ${IOP_P}u0 (root) <-> u1 (U);
# exports IOP_ROOT_ADDR (root side, x.1) and IOP_U_ADDR (x.2). MTU 9000 so 1500-byte inner frames
# plus 50 bytes of VXLAN encapsulation are never fragmented.
iop_underlay() {
  local net a b
  net=$(iop_free_slash30) || iop_die "no free /30 in 169.254.0.0/16"
  a=${net%.*}; b=${net#*.}
  IOP_ROOT_ADDR=169.254.$a.$((b + 1)); IOP_U_ADDR=169.254.$a.$((b + 2))
  export IOP_ROOT_ADDR IOP_U_ADDR
  iop_ns U
  ip link add name "${IOP_P}u0" type veth peer name u1 netns "${IOP_P}U" || return 1
  IOP_LINKS+=("${IOP_P}u0")
  ip link set dev "${IOP_P}u0" mtu 9000
  ip -n "${IOP_P}U" link set dev u1 mtu 9000
  ip addr add "$IOP_ROOT_ADDR/30" dev "${IOP_P}u0"
  ip link set dev "${IOP_P}u0" up
  ip -n "${IOP_P}U" addr add "$IOP_U_ADDR/30" dev u1
  ip -n "${IOP_P}U" link set dev u1 up
  iop_wait_for 5 "underlay ping" ping -c 1 -W 1 "$IOP_U_ADDR"
}

# iop_vxlan NS IFNAME VNI KPORT UPORT [MAC] -> vxlan device created in U (local = U's address,
# kernel listens on KPORT), all-zeros FDB entry to the userland at IOP_ROOT_ADDR:UPORT, moved into NS.
iop_vxlan() {
  local ns=$1 ifn=$2 vni=$3 kport=$4 uport=$5 mac=${6:-}
  local tmp="vt$vni" u=${IOP_P}U
  ip -n "$u" link add "$tmp" type vxlan id "$vni" local "$IOP_U_ADDR" dstport "$kport" \
    srcport "$kport" "$((kport + 1))" nolearning || return 1
  bridge -n "$u" fdb append 00:00:00:00:00:00 dev "$tmp" dst "$IOP_ROOT_ADDR" port "$uport" self permanent
  ip -n "$u" link set dev "$tmp" netns "$IOP_P$ns"
  ip -n "$IOP_P$ns" link set dev "$tmp" name "$ifn"
  [ -n "$mac" ] && ip -n "$IOP_P$ns" link set dev "$ifn" address "$mac"
  ip -n "$IOP_P$ns" link set dev "$ifn" up
}

# iop_no_tentative NS IF -> true when no address on IF is tentative any more
iop_no_tentative() { ! ip -n "$IOP_P$1" -6 addr show dev "$2" | grep -q tentative; }

# iop_capture NAME NS IF [filter...] -> tcpdump -U into $IOP_PCAPS/NAME.pcap inside NS (NS "-" = root ns);
# returns once tcpdump reports that it is listening
iop_capture() {
  local name=$1 ns=$2 ifn=$3; shift 3
  local f=$IOP_PCAPS/$name.pcap
  if [ "$ns" = - ]; then iop_bg "tcpdump-$name" tcpdump -n -U --immediate-mode -s 0 -i "$ifn" -w "$f" "$@"
  else iop_bgn "tcpdump-$name" "$ns" tcpdump -n -U --immediate-mode -s 0 -i "$ifn" -w "$f" "$@"; fi
  IOP_CAP_PIDS+=("$IOP_LAST_PID")
  iop_wait_for 5 "tcpdump on $ns/$ifn" grep -q 'listening on' "$IOP_WORK/tcpdump-$name.log"
}

# iop_capture_stop -> SIGINT every capture and wait for it to flush and exit
iop_capture_stop() {
  local p
  for p in "${IOP_CAP_PIDS[@]}"; do kill -INT "$p" 2>/dev/null; done
  for p in "${IOP_CAP_PIDS[@]}"; do
    iop_wait_for 5 "tcpdump $p to exit" iop_gone "$p" || kill -9 "$p" 2>/dev/null
  done
  IOP_CAP_PIDS=()
}
iop_gone() { ! kill -0 "$1" 2>/dev/null; }

# iop_wirecheck FILE [tshark args...] -> prints the number of frames and of malformed / error frames;
# returns 1 when any frame is malformed, has a checksum problem or an expert Error.
iop_wirecheck() {
  local f=$1; shift
  local total bad
  total=$(tshark -n -r "$f" "$@" -T fields -e frame.number 2>/dev/null | wc -l)
  bad=$(tshark -n -r "$f" "$@" -Y '_ws.malformed || _ws.expert.group == "Checksum" || _ws.expert.severity == "Error"' \
    -T fields -e frame.number -e _ws.col.Protocol -e _ws.col.Info 2>/dev/null)
  if [ -n "$bad" ]; then
    printf '%s: %s frames, %s bad\n%s\n' "$f" "$total" "$(wc -l <<<"$bad")" "$bad"
    return 1
  fi
  printf '%s: %s frames, 0 bad\n' "$f" "$total"
}

# iop_cleanup -> undo everything (installed as EXIT trap by iop_init; safe to call twice)
iop_cleanup() {
  local rc=$? p n i alive
  trap - EXIT
  for p in "${IOP_PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for i in $(seq 1 20); do
    alive=0
    for p in "${IOP_PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for p in "${IOP_PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  for n in "${IOP_NSS[@]}"; do
    for p in $(ip netns pids "$n" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
  done
  for n in "${IOP_NSS[@]}"; do ip netns del "$n" 2>/dev/null; done
  for n in "${IOP_LINKS[@]}"; do ip link del dev "$n" 2>/dev/null; done
  IOP_PIDS=(); IOP_NSS=(); IOP_LINKS=(); IOP_CAP_PIDS=()
  # captures and logs are kept only on failure or with IOP_KEEP=1
  if [ "$rc" = 0 ] && [ "${IOP_KEEP:-0}" != 1 ]; then
    rm -rf "$IOP_WORK"; rmdir "$(dirname "$IOP_WORK")" 2>/dev/null
  else echo "interop files kept in $IOP_WORK" >&2; fi
  local left
  left=$(ip netns list | awk '{print $1}' | grep "^$IOP_P" || true)
  [ -n "$left" ] && echo "WARN: namespaces left: $left" >&2
  return $rc
}
