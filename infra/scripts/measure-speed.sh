#!/usr/bin/env bash
# Measures the two speeds the runner promises:
#   1. save -> verdict in `./run-katas.sh watch` (target: median under 1.5 s on a 2-core machine)
#   2. a cold `./run-katas.sh verify` of both tracks (target: under 10 minutes), with --verify-cold
#
# usage: infra/scripts/measure-speed.sh [--kata crypto.hashing] [--saves 10] [--verify-cold]
# The kata's stub is edited (a comment appended) and restored exactly afterwards, whatever happens.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
kata=crypto.hashing saves=10 verify_cold=0
while [ $# -gt 0 ]; do
  case "$1" in
    --kata) kata=$2; shift 2 ;;
    --saves) saves=$2; shift 2 ;;
    --verify-cold) verify_cold=1; shift ;;
    *) echo "unknown option $1: use --kata <id>, --saves <n>, --verify-cold" >&2; exit 2 ;;
  esac
done

cd "$root"
folder=$(python3 -c "import json,sys
d=json.load(open('katas/path.json'))
for s in d['sections']:
  for k in s['katas']:
    try: m=json.load(open(f\"katas/{s['folder']}/{k}/kata.json\"))
    except OSError: continue
    if m['id']==sys.argv[1]: print(f\"katas/{s['folder']}/{k}\")" "$kata")
[ -n "$folder" ] || { echo "no kata $kata" >&2; exit 2; }
stub=$(ls "$folder"/*.cs | grep -v 'Tests\.cs$' | head -1)
backup=$(mktemp); cp -p "$stub" "$backup"
log=$(mktemp)
watch_pid=""
cleanup() { [ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null; cp -p "$backup" "$stub"; rm -f "$backup" "$log"; }
trap cleanup EXIT

verdicts() { grep -c '^verdict ' "$log" || true; }
wait_for_verdicts() { # wait until the log has $1 verdict lines (bounded: 120 s)
  for _ in $(seq 1200); do [ "$(verdicts)" -ge "$1" ] && return 0; sleep 0.1; done
  echo "no verdict after 120 s; the log:" >&2; cat "$log" >&2; exit 1
}

./run-katas.sh watch "$kata" >"$log" 2>&1 </dev/null &
watch_pid=$!
wait_for_verdicts 1   # the first run may be a full build
sleep 1               # let the watcher settle
times=()
for i in $(seq "$saves"); do
  expected=$(( $(verdicts) + 1 ))
  start=$(date +%s.%N)
  printf '\n// measure-speed save %s\n' "$i" >>"$stub"
  wait_for_verdicts "$expected"
  end=$(date +%s.%N)
  times+=("$(echo "$end - $start" | bc)")
  sleep 0.5
done
kill "$watch_pid" 2>/dev/null; watch_pid=""
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(printf '%s\n' "$sorted" | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
echo "save -> verdict over $saves saves of $stub: median ${median} s; all: $(printf '%s ' $sorted)"
grep '^verdict ' "$log" | tail -3 | sed 's/^/  runner: /'

if [ "$verify_cold" = 1 ]; then
  rm -rf "$root/artifacts"
  start=$(date +%s)
  ./run-katas.sh verify | tail -1 || true
  echo "cold verify (both tracks, runner tests): $(( $(date +%s) - start )) s"
fi
