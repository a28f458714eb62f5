#!/usr/bin/env bash
# Records real traffic over link layers that only a real kernel makes, from Linux 6.1's own
# drivers run in User-Mode Linux (the Debian "user-mode-linux" kernel, with the host's / as
# its root; the host kernel here has no 8021q, bonding or MPLS): captures/README.md.
#
#   mpls-labelled-veth.pcap     tcpdump on the link of a host whose routes push MPLS labels
#                               (`ip route add ... encap mpls 100`): its router (another
#                               namespace) pops the label towards the server, and swaps the
#                               server's answers from label 200 to 201, which the host pops
#                               (`ip -f mpls route add 201 dev lo`). Both directions of the
#                               host's link carry labelled IPv4; two fetches from the router
#                               itself go unlabelled.
#   qinq-bridge-any-sll2.pcap   tcpdump -i any on a provider bridge: an 802.1ad bridge
#                               (vlan_filtering, vlan_protocol 802.1ad) whose access port takes
#                               the customer's 802.1Q trunk (VLAN 100) into S-VLAN 200 and whose
#                               trunk port sends it on, double tagged, to a second 802.1ad
#                               bridge and the server. The kernel hands the cooked capture some
#                               packets with the protocol of the IP packet inside but the last 4
#                               bytes of the inner 802.1Q tag still before it.
#   qinq-bridge-trunk.pcap      the same moment on the customer's trunk (802.1Q 100, Ethernet):
#                               every packet once, as it went
#   bond-rr-dumpcap.pcapng      dumpcap on a bond in balance-rr mode and on its two slaves at
#                               once (`dumpcap -i bond0 -i a1 -i a2`): each packet on the bond
#                               and on the slave that sent or took it, every other packet of a
#                               connection on each slave, written by dumpcap interface by
#                               interface in batches, out of time order; three rounds of the
#                               exchange below, each with a 40 kB fetch more
#
# Each exchange: python3 http.server on 9763 (carbon.http.port at offset 0) and on 31337
# (no catalog port), curl fetches 3 pages and a 404 from 9763 and one page from 31337, one
# connect to 9764 where nothing listens (refused), openssl s_client to s_server on 9443.
# Segmentation offloads are off. Traffic stays inside the UML kernel's namespaces.
# Needs root (apt-get for user-mode-linux and kmod when missing).
# Usage: sudo scripts/recording/record-kernel-links-uml.sh [CAPTURES_DIR]
#        env: ONLY=mpls,qinq,bond (the recordings to make; all by default)
set -euo pipefail
out=$(realpath -m "${1:-$(cd "$(dirname "$0")/../.." && pwd)/captures}")
mkdir -p "$out"
need=()
for c in linux.uml:user-mode-linux modprobe:kmod tcpdump:tcpdump curl:curl openssl:openssl ethtool:ethtool bridge:iproute2; do
  command -v "${c%%:*}" >/dev/null 2>&1 || need+=("${c#*:}")
done
[ ${#need[@]} -eq 0 ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"; }

work=$(mktemp -d /var/tmp/record-kernel-links.XXXXXX)
uml=
cleanup() {
  set +e
  [ -z "$uml" ] || kill -9 -- -"$uml" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/www" "$work/out"
printf 'hello\n' > "$work/www/index.html"
head -c 3000 /dev/urandom | base64 > "$work/www/page.txt"
head -c 30000 /dev/urandom | base64 > "$work/www/large.txt"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 2 \
  -subj /CN=dasaudit-kernel-links 2>/dev/null

cat > "$work/inner.sh" <<'INNER'
#!/bin/bash
# PID 1 of the UML kernel. WORK is the host's work directory (hostfs).
PATH=/usr/sbin:/usr/bin:/sbin:/bin; export PATH
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t tmpfs tmp /run; mount -t tmpfs tmp /tmp
exec >>"$WORK/inner.log" 2>&1
mkdir -p /tmp/mod/lib/modules; ln -s "/usr/lib/uml/modules/$(uname -r)" "/tmp/mod/lib/modules/$(uname -r)"
for m in ipv6 veth 8021q bridge bonding mpls_router mpls_iptunnel; do modprobe -d /tmp/mod $m || echo "modprobe $m failed"; done
ip link set lo up
ns() { ip netns add "$1"; ip -n "$1" link set lo up; }
offloads_off() { local i; for i in $(ip -n "$1" -o link show | awk -F': ' '{print $2}' | cut -d@ -f1); do
  ip netns exec "$1" ethtool -K "$i" tso off gso off gro off >/dev/null 2>&1; done; }
tds=() servers=()
record() {  # record NS IFACE FILE [tcpdump options]
  local n=$1 i=$2 f=$3; shift 3
  ip netns exec "$n" tcpdump -Z root -n -U -s 256 -i "$i" "$@" -w "$WORK/out/$f" 2>"/tmp/$f.err" & tds+=($!)
  for _ in $(seq 50); do grep -q listening "/tmp/$f.err" && break; sleep 0.2; done
}
stop_recording() { sleep 1; kill -INT "${tds[@]}"; wait "${tds[@]}"; cat /tmp/*.err; rm -f /tmp/*.err; tds=(); }
serve() {  # serve NS PORT [tls]
  if [ "${3:-}" = tls ]; then
    ip netns exec "$1" openssl s_server -accept "$2" -cert "$WORK/cert.pem" -key "$WORK/key.pem" -www -quiet >/dev/null 2>&1 &
  else
    ip netns exec "$1" python3 -m http.server "$2" --bind :: --directory "$WORK/www" >/dev/null 2>&1 &
  fi
  servers+=($!)
  for _ in $(seq 100); do ip netns exec "$1" ss -ltn | grep -q ":$2 " && break; sleep 0.1; done
}
stop_servers() { kill "${servers[@]}"; wait "${servers[@]}" 2>/dev/null; servers=(); }
fetch() { echo "curl $2 -> $(ip netns exec "$1" curl -s -m 5 -o /dev/null -w '%{http_code}' "$2")"; }
exchange() {  # exchange CLIENT_NS SERVER_ADDRESS
  fetch "$1" "http://$2:9763/"; fetch "$1" "http://$2:9763/page.txt"; fetch "$1" "http://$2:9763/missing"
  fetch "$1" "http://$2:9764/"
  echo -e 'GET / HTTP/1.0\r\n\r\n' | ip netns exec "$1" timeout 5 openssl s_client -connect "$2:9443" -quiet >/dev/null 2>&1
  echo "tls $2:9443 rc=$?"
  fetch "$1" "http://$2:31337/"
}

want() { [ -z "${ONLY:-}" ] || case ",$ONLY," in *",$1,"*) true;; *) false;; esac; }

if want mpls; then
echo "--- mpls"
ns dasaudit-mh; ns dasaudit-mr; ns dasaudit-ms
ip link add hr netns dasaudit-mh type veth peer name rh netns dasaudit-mr
ip link add rs netns dasaudit-mr type veth peer name sr netns dasaudit-ms
ip -n dasaudit-mh link set hr up; ip -n dasaudit-mr link set rh up; ip -n dasaudit-mr link set rs up; ip -n dasaudit-ms link set sr up
ip -n dasaudit-mh addr add 10.236.1.1/24 dev hr; ip -n dasaudit-mr addr add 10.236.1.254/24 dev rh
ip -n dasaudit-mr addr add 10.236.2.254/24 dev rs; ip -n dasaudit-ms addr add 10.236.2.2/24 dev sr
ip netns exec dasaudit-mr sysctl -qw net.mpls.platform_labels=1000 net.mpls.conf.rh.input=1 net.mpls.conf.rs.input=1 net.ipv4.ip_forward=1
ip netns exec dasaudit-mh sysctl -qw net.mpls.platform_labels=1000 net.mpls.conf.hr.input=1 net.mpls.conf.lo.input=1
ip netns exec dasaudit-ms sysctl -qw net.mpls.platform_labels=1000 net.mpls.conf.sr.input=1
ip -n dasaudit-mh route add 10.236.2.0/24 encap mpls 100 via 10.236.1.254
ip -n dasaudit-ms route add 10.236.1.0/24 encap mpls 200 via 10.236.2.254
ip -n dasaudit-mr -f mpls route add 100 via inet 10.236.2.2 dev rs
ip -n dasaudit-mr -f mpls route add 200 as 201 via inet 10.236.1.1 dev rh
ip -n dasaudit-mh -f mpls route add 201 dev lo
for n in dasaudit-mh dasaudit-mr dasaudit-ms; do offloads_off $n; done
serve dasaudit-ms 9763; serve dasaudit-ms 31337; serve dasaudit-ms 9443 tls; serve dasaudit-mr 9763
record dasaudit-mh hr mpls-labelled-veth.pcap
exchange dasaudit-mh 10.236.2.2
fetch dasaudit-mh http://10.236.1.254:9763/; fetch dasaudit-mh http://10.236.1.254:9763/page.txt
stop_recording; stop_servers
for n in dasaudit-mh dasaudit-mr dasaudit-ms; do ip netns del $n; done
fi

if want qinq; then
echo "--- qinq bridge"
for n in a b c d; do ns dasaudit-q$n; done
ip link add ac netns dasaudit-qa type veth peer name ca netns dasaudit-qc
ip link add cd netns dasaudit-qc type veth peer name dc netns dasaudit-qd
ip link add db netns dasaudit-qd type veth peer name bd netns dasaudit-qb
bridge_of() { ip -n "$1" link add "$2" type bridge vlan_filtering 1 vlan_protocol "$3" vlan_default_pvid 0; ip -n "$1" link set "$2" up; }
bridge_of dasaudit-qa qbra 802.1Q; bridge_of dasaudit-qb qbrb 802.1Q; bridge_of dasaudit-qc qbrc 802.1ad; bridge_of dasaudit-qd qbrd 802.1ad
for s in qa:ac:qbra:1 qb:bd:qbrb:2; do IFS=: read -r n port br host <<<"$s"
  ip -n dasaudit-$n link set $port master $br; ip -n dasaudit-$n link set $port up
  bridge -n dasaudit-$n vlan add dev $br vid 100 pvid untagged self; bridge -n dasaudit-$n vlan add dev $port vid 100
  ip -n dasaudit-$n addr add 10.233.0.$host/24 dev $br
done
for s in qc:ca:cd:qbrc qd:db:dc:qbrd; do IFS=: read -r n access trunk br <<<"$s"
  ip -n dasaudit-$n link set $access master $br; ip -n dasaudit-$n link set $trunk master $br
  ip -n dasaudit-$n link set $access up; ip -n dasaudit-$n link set $trunk up
  bridge -n dasaudit-$n vlan add dev $access vid 200 pvid untagged; bridge -n dasaudit-$n vlan add dev $trunk vid 200
done
for n in a b c d; do offloads_off dasaudit-q$n; done
serve dasaudit-qb 9763; serve dasaudit-qb 31337; serve dasaudit-qb 9443 tls
record dasaudit-qc any qinq-bridge-any-sll2.pcap
record dasaudit-qa ac qinq-bridge-trunk.pcap
exchange dasaudit-qa 10.233.0.2
stop_recording; stop_servers
for n in a b c d; do ip netns del dasaudit-q$n; done
fi

if want bond; then
echo "--- bond balance-rr"
ns dasaudit-ba; ns dasaudit-bb
for k in 1 2; do ip link add a$k netns dasaudit-ba type veth peer name b$k netns dasaudit-bb; done
for s in ba:a:1 bb:b:2; do IFS=: read -r n slave host <<<"$s"
  ip -n dasaudit-$n link add bond0 type bond mode balance-rr miimon 100
  for k in 1 2; do ip -n dasaudit-$n link set $slave$k master bond0; done
  ip -n dasaudit-$n link set bond0 up
  ip -n dasaudit-$n addr add 10.234.0.$host/24 dev bond0
done
offloads_off dasaudit-ba; offloads_off dasaudit-bb
sleep 1
serve dasaudit-bb 9763; serve dasaudit-bb 31337; serve dasaudit-bb 9443 tls
ip netns exec dasaudit-ba dumpcap -q -i bond0 -s 256 -i a1 -s 256 -i a2 -s 256 -w "$WORK/out/bond-rr-dumpcap.pcapng" & tds+=($!)
sleep 3
for _ in 1 2 3; do exchange dasaudit-ba 10.234.0.2; fetch dasaudit-ba http://10.234.0.2:9763/large.txt; done
stop_recording; stop_servers
ip netns del dasaudit-ba; ip netns del dasaudit-bb
fi
echo "=== done"
sync
poweroff -f
INNER
chmod +x "$work/inner.sh"

echo "booting user-mode-linux (log: $work/inner.log)"
# Unknown name=value kernel parameters become environment variables of init.
setsid timeout -s KILL 600 linux.uml mem=512M rootfstype=hostfs rootflags=/ rw init="$work/inner.sh" \
  WORK="$work" ${ONLY:+ONLY=$ONLY} con=null con0=null,fd:1 > "$work/console.log" 2>&1 < /dev/null &
uml=$!
wait "$uml" || true
uml=
grep -a -v '^$' "$work/inner.log" || true
grep -q "=== done" "$work/inner.log" || { echo "the UML run did not finish"; tail -20 "$work/console.log"; exit 1; }
for f in mpls-labelled-veth.pcap qinq-bridge-any-sll2.pcap qinq-bridge-trunk.pcap bond-rr-dumpcap.pcapng; do
  [ -f "$work/out/$f" ] || continue
  cp "$work/out/$f" "$out/$f"
  capinfos -c -u "$out/$f" 2>/dev/null | sed -n '2,3p' || ls -l "$out/$f"
done
