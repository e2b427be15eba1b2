#!/usr/bin/env bash
# Builds the Docker image koans/anvil:1.7.1 offline, without a registry or a base image: a root filesystem holding
# the npm Anvil binary (/usr/local/bin/anvil) and the shared libraries it links (ldd: libc, libm, libgcc_s, the loader),
# fed to `docker import`. Needs `npm ci` in infra/chain first and a running Docker engine.
#
#   infra/chain/build-anvil-image.sh [image]     (default image: koans/anvil:1.7.1, or $KOANS_ANVIL_IMAGE)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
image="${1:-${KOANS_ANVIL_IMAGE:-koans/anvil:1.7.1}}"
case "$(uname -m)" in
  x86_64) arch=amd64 ;;
  aarch64|arm64) arch=arm64 ;;
  *) echo "build-anvil-image: unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
anvil="$here/node_modules/@foundry-rs/anvil-linux-$arch/bin/anvil"
[ -x "$anvil" ] || { echo "build-anvil-image: $anvil is missing: run \`cd infra/chain && npm ci\` first" >&2; exit 1; }

rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs/usr/local/bin" "$rootfs/tmp" "$rootfs/etc"
chmod 1777 "$rootfs/tmp"
cp "$anvil" "$rootfs/usr/local/bin/anvil"

# Every library the binary links, at the same absolute path (the loader's path is baked into the ELF header).
libs=$(ldd "$anvil" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u)
[ -n "$libs" ] || { echo "build-anvil-image: ldd found no libraries for $anvil" >&2; exit 1; }
for lib in $libs; do
  real="$(readlink -f "$lib")"
  mkdir -p "$rootfs$(dirname "$lib")"
  cp "$real" "$rootfs$lib"
done
# Anvil looks up the user's home for its config; give it a passwd entry and a home.
echo 'root:x:0:0:root:/root:/usr/local/bin/anvil' > "$rootfs/etc/passwd"
mkdir -p "$rootfs/root"

tar -C "$rootfs" -c . | docker import \
  -c 'ENTRYPOINT ["/usr/local/bin/anvil"]' \
  -c 'ENV HOME=/root' \
  -m "Anvil $("$anvil" --version | head -1) from the npm package @foundry-rs/anvil-linux-$arch" \
  - "$image"
echo "build-anvil-image: built $image"
