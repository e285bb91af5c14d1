#!/bin/bash
# install.sh - make sure the Linux peers the interop tests drive are present.
# Idempotent and quiet: installs only what is missing, prints one line per action.
# Needs root (apt-get). Never starts daemons: a policy-rc.d refusing service starts is put in
# place first (radvd, bird2 and frr ship init scripts), and FRR's vty group gets root.
#
#   tools/interop/install.sh            # iputils-ping tcpdump tshark ndisc6 ethtool radvd bird2 frr (+ iproute2)
#   EXTRA_PKGS="radvd" tools/interop/install.sh
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

# command -> Debian package providing it
declare -A WANT=(
  [ip]=iproute2
  [bridge]=iproute2
  [ping]=iputils-ping
  [tcpdump]=tcpdump
  [tshark]=tshark
  [ndisc6]=ndisc6
  [ethtool]=ethtool
  [radvd]=radvd
  [bird]=bird2
  [/usr/lib/frr/ripngd]=frr
)

missing=()
for cmd in "${!WANT[@]}"; do
  pkg=${WANT[$cmd]}
  if ! command -v "$cmd" >/dev/null 2>&1; then
    case " ${missing[*]-} " in *" $pkg "*) ;; *) missing+=("$pkg") ;; esac
  fi
done
for pkg in ${EXTRA_PKGS:-}; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "interop install: nothing to do"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "interop install: missing ${missing[*]} but not root; skipping" >&2
  exit 1
fi

echo "interop install: installing ${missing[*]}"
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
fi
# wireshark-common asks whether non-root users may capture; answer no without a prompt.
echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections 2>/dev/null || true
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Up to three attempts: a mirror hiccup should not fail a CI run.
for attempt in 1 2 3; do
  if { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    break
  fi
  if [ "$attempt" = 3 ]; then
    echo "interop install: apt-get failed:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  echo "interop install: apt-get failed (attempt $attempt), retrying" >&2
  sleep $((attempt * 5))
done
# FRR daemons run as root in the tests; they insist on root being in the frrvty group.
if getent group frrvty >/dev/null && ! id -nG root | grep -qw frrvty; then usermod -a -G frrvty root; fi
echo "interop install: done"
