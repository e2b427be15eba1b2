#!/bin/sh
# Entrypoint of koans/postgres:18 (infra/postgres/build-postgres-image.sh). Runs as the image's postgres user.
# A fresh cluster on every start (the container is thrown away with it), listening on 127.0.0.1 only: the container
# runs on the host network, so PORT is a free port the fixture picked on the host's loopback.
#   PORT               the port to listen on (default 5432)
#   POSTGRES_USER      the superuser initdb creates (default koans)
#   POSTGRES_PASSWORD  if set, TCP connections need it (scram-sha-256); unset, trust authentication
set -eu
# The image has no coreutils: builtins only, besides initdb and postgres. The fixture waits for the server's own
# "database system is ready to accept connections" line in the container log.
port="${PORT:-5432}"
user="${POSTGRES_USER:-koans}"
data=/var/lib/postgresql/data
bin=/opt/postgresql/bin
auth=trust
if [ -n "${POSTGRES_PASSWORD:-}" ]; then
  auth=scram-sha-256
  (umask 077; printf '%s\n' "$POSTGRES_PASSWORD" > /tmp/pwfile)
  set -- --pwfile=/tmp/pwfile
else
  set --
fi
"$bin/initdb" -D "$data" -U "$user" --auth-local=trust --auth-host="$auth" -E UTF8 --locale=C --no-sync "$@"
[ -z "${POSTGRES_PASSWORD:-}" ] || : > /tmp/pwfile
echo "koans-postgres: cluster initialised, starting on 127.0.0.1:$port"
exec "$bin/postgres" -D "$data" -c listen_addresses=127.0.0.1 -c port="$port" -c unix_socket_directories=/tmp \
  -c fsync=off -c max_connections=50 -c jit=off
