#!/bin/bash
# smoke.sh - end-to-end check of the bash harness: a kame node (kame-node.mjs) and a Linux host
# (namespace L) on one VXLAN link. Pings both ways, full-size ping, SLAAC from the kame RA, wire check.
# Run as root from anywhere; leaves nothing behind (EXIT trap). Exit 0 = all checks passed.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
iop_init
command -v tcpdump >/dev/null && command -v tshark >/dev/null && command -v ping >/dev/null \
  || iop_die "missing tools: run $HERE/install.sh"

pass=0; fail=0
check() { local what=$1; shift; if "$@" >/dev/null 2>&1; then echo "ok   $what"; pass=$((pass + 1)); else echo "FAIL $what"; fail=$((fail + 1)); fi; }

VNI=$(( (RANDOM << 8 | RANDOM) % 16000000 + 1000 ))
KPORT=$(( RANDOM % 30000 + 20000 ))
K_MAC=02:00:00:00:4b:01; K_LL=fe80::ff:fe00:4b01
L_MAC=02:00:5e:00:4c:01

iop_underlay
iop_ns L
iop_nx L sysctl -qw net.ipv6.conf.default.dad_transmits=1 net.ipv6.conf.default.router_solicitation_delay=0
iop_capture outer - "${IOP_P}u0" udp

iop_bg kame node "$HERE/kame-node.mjs" --bind "$IOP_ROOT_ADDR:0" --forwarding \
  --if "em0,$K_MAC,$VNI,$IOP_U_ADDR:$KPORT,2001:db8:1::1/64" --ra em0,2001:db8:77::/64,1800 \
  --pcapng "$IOP_PCAPS/kame.pcapng" --ready-file "$IOP_WORK/kame.port"
iop_wait_for 10 "kame node ready" test -s "$IOP_WORK/kame.port" || { cat "$IOP_WORK/kame.log"; exit 1; }
UPORT=$(cat "$IOP_WORK/kame.port")

iop_vxlan L vx0 "$VNI" "$KPORT" "$UPORT" "$L_MAC"
iop_capture l-vx0 L vx0
iop_nx L ip -6 addr add 2001:db8:1::2/64 dev vx0
iop_wait_for 5 "DAD on L/vx0" iop_no_tentative L vx0

check "L pings kame link-local" iop_nx L ping -6 -c 2 -i 0.2 -W 2 "$K_LL%vx0"
check "L pings kame global" iop_nx L ping -6 -c 2 -i 0.2 -W 2 2001:db8:1::1
check "1500-byte packet, DF" iop_nx L ping -6 -c 1 -W 2 -s 1452 -M do 2001:db8:1::1
check "4000-byte fragmented ping" iop_nx L ping -6 -c 1 -W 2 -s 4000 2001:db8:1::1
check "SLAAC from the kame RA" iop_wait_for 10 "SLAAC" sh -c "ip -n ${IOP_P}L -6 addr show dev vx0 | grep -q 'inet6 2001:db8:77:'"
check "default route via kame" iop_wait_for 5 "default route" sh -c "ip -n ${IOP_P}L -6 route show default | grep -q 'via $K_LL dev vx0 proto ra'"

iop_capture_stop
for f in "$IOP_PCAPS"/outer.pcap "$IOP_PCAPS"/l-vx0.pcap "$IOP_PCAPS"/kame.pcapng; do
  check "wirecheck $(basename "$f")" iop_wirecheck "$f" -d "udp.port==$KPORT,vxlan" -d "udp.port==$UPORT,vxlan"
done
echo "smoke: $pass passed, $fail failed"
[ "$fail" = 0 ]
