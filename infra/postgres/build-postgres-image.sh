#!/usr/bin/env bash
# Builds the Docker image koans/postgres:15 offline, without a registry or a base image, for KOANS_POSTGRES=container:
# a root filesystem holding the machine's Debian PostgreSQL 15 (/usr/lib/postgresql/15, /usr/share/postgresql/15),
# the time zone data, the shared libraries they link (ldd, the loader included), dash as /bin/sh, a minimal
# passwd/group with a postgres user, /tmp, and infra/postgres/entrypoint.sh; fed to `docker import`.
# Needs Debian's postgresql-15 (apt-get install -y postgresql) and a running Docker engine
# (`source infra/chain/ci-container.sh start` starts one).
#
#   infra/postgres/build-postgres-image.sh [image]   (default image: koans/postgres:15, or $KOANS_POSTGRES_IMAGE)
#
# Idempotent: when the image already exists and was built from the same PostgreSQL version and entrypoint (recorded
# in the image's comment), it is left alone. KOANS_POSTGRES_REBUILD=1 forces a rebuild.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
image="${1:-${KOANS_POSTGRES_IMAGE:-koans/postgres:15}}"
pglib=/usr/lib/postgresql/15
pgshare=/usr/share/postgresql/15
entrypoint="$here/entrypoint.sh"
[ -x "$pglib/bin/postgres" ] && [ -x "$pglib/bin/initdb" ] && [ -d "$pgshare" ] \
  || { echo "build-postgres-image: PostgreSQL 15 is missing ($pglib, $pgshare): apt-get install -y postgresql-15" >&2; exit 1; }
shell="$(command -v dash || true)"
[ -n "$shell" ] || { echo "build-postgres-image: dash is missing (the entrypoint needs a /bin/sh)" >&2; exit 1; }
docker version >/dev/null 2>&1 || { echo "build-postgres-image: no Docker engine: source infra/chain/ci-container.sh start" >&2; exit 1; }

stamp="koans-postgres $("$pglib/bin/postgres" --version | head -1); entrypoint sha256 $(sha256sum "$entrypoint" | cut -c1-16)"
if [ "${KOANS_POSTGRES_REBUILD:-0}" != 1 ] && [ "$(docker image inspect -f '{{.Comment}}' "$image" 2>/dev/null || true)" = "$stamp" ]; then
  echo "build-postgres-image: $image is up to date ($stamp)"
  exit 0
fi

previous="$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)"
rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs/usr/lib/postgresql" "$rootfs/usr/share/postgresql" "$rootfs/usr/share" "$rootfs/bin" \
  "$rootfs/etc" "$rootfs/tmp" "$rootfs/var/lib/postgresql"
chmod 1777 "$rootfs/tmp"
cp -a "$pglib" "$rootfs/usr/lib/postgresql/"
# JIT is off (the entrypoint says jit=off): leave out llvmjit and its bitcode, which would pull in libLLVM (~100 MB).
rm -rf "$rootfs$pglib/lib/llvmjit.so" "$rootfs$pglib/lib/llvmjit_types.bc" "$rootfs$pglib/lib/bitcode"
cp -a "$pgshare" "$rootfs/usr/share/postgresql/"
# Debian builds PostgreSQL --with-system-tzdata: initdb and the server read /usr/share/zoneinfo.
cp -a /usr/share/zoneinfo "$rootfs/usr/share/zoneinfo"
cp "$(readlink -f "$shell")" "$rootfs/bin/sh"
install -m 0755 "$entrypoint" "$rootfs/entrypoint.sh"

# Every library the binaries and modules link, at the same absolute path (the loader's path is baked into the ELF header).
elves=("$rootfs/bin/sh")
for f in "$rootfs$pglib"/bin/* "$rootfs$pglib"/lib/*.so; do
  [ -f "$f" ] && [ ! -L "$f" ] && elves+=("$f")
done
missing=$(for f in "${elves[@]}"; do ldd "$f" 2>/dev/null || true; done | awk '/not found/ { print $1 }' | sort -u)
[ -z "$missing" ] || { echo "build-postgres-image: libraries not found on this machine: $missing" >&2; exit 1; }
libs=$(for f in "${elves[@]}"; do ldd "$f" 2>/dev/null || true; done \
  | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u)
[ -n "$libs" ] || { echo "build-postgres-image: ldd found no libraries" >&2; exit 1; }
for lib in $libs; do
  mkdir -p "$rootfs$(dirname "$lib")"
  cp "$(readlink -f "$lib")" "$rootfs$lib"
done

# PostgreSQL refuses to run as root: the image runs as postgres (uid/gid 999 inside the image), which owns its data
# directory's parent.
printf 'root:x:0:0:root:/root:/bin/sh\npostgres:x:999:999:PostgreSQL:/var/lib/postgresql:/bin/sh\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\npostgres:x:999:\n' > "$rootfs/etc/group"
chown 999:999 "$rootfs/var/lib/postgresql"
chmod 0700 "$rootfs/var/lib/postgresql"

tar -C "$rootfs" --numeric-owner -c . | docker import \
  -c 'ENTRYPOINT ["/entrypoint.sh"]' \
  -c 'USER postgres' \
  -c 'ENV PATH=/usr/lib/postgresql/15/bin:/bin LANG=C' \
  -m "$stamp" \
  - "$image" >/dev/null
# A rebuild leaves the previous image untagged: remove it rather than pile up dangling images (kept if a container uses it).
if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect -f '{{.Id}}' "$image")" ]; then
  docker image rm "$previous" >/dev/null 2>&1 || true
fi
echo "build-postgres-image: built $image ($stamp)"
