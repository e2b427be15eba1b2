#!/usr/bin/env bash
# The container path of the chain (KOANS_CHAIN=container), for CI and for trying it by hand.
#
#   source infra/chain/ci-container.sh start   install docker.io if absent, start dockerd without bridge networking
#                                              (host networking only), build koans/anvil:1.7.1 offline, and export
#                                              KOANS_CHAIN=container DOCKER_API_VERSION=1.41 TESTCONTAINERS_RYUK_DISABLED=true
#   bash infra/chain/ci-container.sh stop      stop the dockerd that `start` launched (and only that one)
#
# Needs root (apt-get, dockerd) and the npm packages in infra/chain (the runner installs them on first use, or
# `npm ci` there). Returns non-zero when the engine cannot be had.
koans_chain_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
koans_dockerd_pidfile=/tmp/koans-dockerd.pid

koans_container_start() {
  if ! command -v dockerd >/dev/null 2>&1; then
    echo "[ci-container] installing docker.io"
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null 2>&1 || { echo "[ci-container] could not install docker.io" >&2; return 1; }
  fi
  if ! docker version >/dev/null 2>&1; then
    echo "[ci-container] starting dockerd (--bridge=none --iptables=false)"
    nohup dockerd --bridge=none --iptables=false >/tmp/koans-dockerd.log 2>&1 &
    echo $! > "$koans_dockerd_pidfile"
    local i
    for i in $(seq 1 60); do
      [ -S /var/run/docker.sock ] && docker version >/dev/null 2>&1 && break
      sleep 0.5
    done
    docker version >/dev/null 2>&1 || { echo "[ci-container] dockerd did not come up; its log:" >&2; tail -20 /tmp/koans-dockerd.log >&2; return 1; }
  fi
  export DOCKER_API_VERSION=1.41 TESTCONTAINERS_RYUK_DISABLED=true
  export KOANS_ANVIL_IMAGE="${KOANS_ANVIL_IMAGE:-koans/anvil:1.7.1}"
  "$koans_chain_dir/build-anvil-image.sh" "$KOANS_ANVIL_IMAGE" || return 1
  export KOANS_CHAIN=container
  echo "[ci-container] ready: KOANS_CHAIN=container KOANS_ANVIL_IMAGE=$KOANS_ANVIL_IMAGE"
}

koans_container_stop() {
  [ -f "$koans_dockerd_pidfile" ] || return 0
  local pid
  pid="$(cat "$koans_dockerd_pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    local i
    for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  fi
  rm -f "$koans_dockerd_pidfile"
  echo "[ci-container] dockerd stopped"
}

case "${1:-start}" in
  start) koans_container_start ;;
  stop) koans_container_stop ;;
  *) echo "usage: source infra/chain/ci-container.sh start | bash infra/chain/ci-container.sh stop" >&2; false ;;
esac
