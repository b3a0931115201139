#!/bin/sh
# Makes test/fixtures/stats/: tshark 4.0's statistics (-z) and HTTP object export for every
# capture in test/fixtures/captures/{lab,public} (and test/fixtures/http/http-media.pcap),
# the references main/cli/stats.test.ts compares `wirelab` with. Run from the repository root:
#   sh scripts/make-stats-references.sh
# Each reference is exactly what this command prints on stdout (its stderr is dropped):
#   tshark -r F -q -z conv,tcp            > NAME.conv-tcp.txt
#   tshark -r F -q -z conv,udp            > NAME.conv-udp.txt
#   tshark -r F -q -z conv,ip             > NAME.conv-ip.txt
#   tshark -r F -q -z conv,ipv6           > NAME.conv-ipv6.txt
#   tshark -r F -q -z conv,eth            > NAME.conv-eth.txt
#   tshark -r F -q -z endpoints,ip        > NAME.endpoints-ip.txt
#   tshark -r F -q -z endpoints,tcp       > NAME.endpoints-tcp.txt
#   tshark -r F -q -z endpoints,udp       > NAME.endpoints-udp.txt
#   tshark -r F -q -z io,phs              > NAME.io-phs.txt
#   tshark -r F -q -z expert              > NAME.expert.txt
#   tshark -r F -q -z io,stat,1           > NAME.io-stat-1.txt
#   tshark -r F -q -z io,stat,0.25        > NAME.io-stat-0.25.txt
#     (not for pcapng-test-generator-le-difficult-test202.pcapng: tshark reads records stamped
#     0 there, so its duration is 1340954905 s, and a row per interval exhausts memory)
#   tshark -r F -q -z follow,tcp,ascii,0  > NAME.follow-tcp-ascii-0.txt
#   tshark -r F -q -z follow,tcp,hex,1    > NAME.follow-tcp-hex-1.txt
#   tshark -r F -q --export-objects http,DIR; then, for each file DIR holds (sorted by name),
#     "sha256  name" (sha256sum's format)  > NAME.export-http.txt
set -eu
export LC_ALL=C TZ=UTC
out=test/fixtures/stats
mkdir -p "$out"
tshark -v | head -1 > "$out/TSHARK_VERSION"
for f in test/fixtures/captures/lab/*.pcap test/fixtures/captures/lab/*.pcapng \
         test/fixtures/captures/public/*.pcap test/fixtures/captures/public/*.pcapng \
         test/fixtures/http/http-media.pcap; do
  name=$(basename "$f")
  for z in conv,tcp conv,udp conv,ip conv,ipv6 conv,eth endpoints,ip endpoints,tcp endpoints,udp \
           io,phs expert io,stat,1 io,stat,0.25 follow,tcp,ascii,0 follow,tcp,hex,1; do
    case "$name,$z" in pcapng-test-generator-le-difficult-test202.pcapng,io,stat,*) continue ;; esac
    tshark -r "$f" -q -z "$z" > "$out/$name.$(echo "$z" | tr , -).txt" 2>/dev/null || true
  done
  dir=$(mktemp -d)
  tshark -r "$f" -q --export-objects "http,$dir" > /dev/null 2>&1 || true
  (cd "$dir" && find . -type f | sed 's|^\./||' | sort | while IFS= read -r n; do
     printf '%s  %s\n' "$(sha256sum < "$n" | cut -d' ' -f1)" "$n"; done) > "$out/$name.export-http.txt"
  rm -rf "$dir"
done
