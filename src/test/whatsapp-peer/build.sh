#!/usr/bin/env bash
# Builds the WhatsApp peer offline from Debian's Go packages: golang-go and
# golang-github-pion-{dtls.v2,srtp.v2,stun,rtp,rtcp}-dev (sources under /usr/share/gocode). Prints the binary's path.
# Usage: build.sh [output-binary]   (default: <repo>/target/whatsapp-peer/whatsapp-peer)
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$src/../../.." && pwd)
out=${1:-$repo/target/whatsapp-peer/whatsapp-peer}
work=$(dirname "$out")/build
gocode=/usr/share/gocode
command -v go >/dev/null || { echo "go is missing: apt-get install golang-go golang-github-pion-{dtls.v2,srtp.v2,stun,rtp,rtcp}-dev" >&2; exit 1; }
[ -d "$gocode/src/github.com/pion/dtls/v2" ] || { echo "pion is missing: apt-get install golang-github-pion-{dtls.v2,srtp.v2,stun,rtp,rtcp}-dev" >&2; exit 1; }
# GOPATH mode: Debian installs the sources as a GOPATH tree. The peer is linked into a GOPATH of its
# own so that Go's minimal module compatibility maps the /v2 import paths onto Debian's directories.
mkdir -p "$work/gopath/src"
ln -sfn "$src" "$work/gopath/src/whatsapp-peer"
cd "$work/gopath/src/whatsapp-peer"
GO111MODULE=off GOPATH="$work/gopath:$gocode" GOCACHE="$work/cache" GOFLAGS= GOPROXY=off \
  go build -trimpath -o "$out" .
echo "$out"
