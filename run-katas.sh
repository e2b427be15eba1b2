#!/usr/bin/env bash
# Koans runner. `./run-katas.sh` shows your next kata; `./run-katas.sh --help` lists every command.
# This wrapper only checks for the .NET SDK, builds the runner (infra/Koans.Runner) when its sources change,
# and hands over to it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export KOANS_ROOT="$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "run-katas.sh needs the .NET 10 SDK, and 'dotnet' is not on your PATH: install it from https://dotnet.microsoft.com/download/dotnet/10.0 and run this again." >&2
  exit 2
fi
if ! dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; then
  echo "run-katas.sh needs the .NET 10 SDK; this machine has: $(dotnet --list-sdks 2>/dev/null | cut -d' ' -f1 | paste -sd' ' - || echo none). Install .NET 10 from https://dotnet.microsoft.com/download/dotnet/10.0 and run this again." >&2
  exit 2
fi

runner_project="$root/infra/Koans.Runner/Koans.Runner.csproj"
runner_dll="$root/artifacts/infra/bin/infra/Koans.Runner/Debug/koans-runner.dll"
build_log="$root/artifacts/runner-build.log"

runner_is_stale() {
  [ ! -f "$runner_dll" ] && return 0
  [ -n "$(find "$root/infra/Koans.Runner" "$root/Directory.Build.props" "$root/Directory.Build.targets" "$root/Directory.Packages.props" "$root/global.json" \
          \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name 'global.json' \) \
          -newer "$runner_dll" -print -quit 2>/dev/null)" ]
}

if runner_is_stale; then
  mkdir -p "$root/artifacts"
  # Two runners started at once build the runner one after the other, not on top of each other.
  exec 9>"$root/artifacts/runner-build.lock"
  flock 9 2>/dev/null || true
  if runner_is_stale; then
    [ -t 1 ] && echo "Building the Koans runner (once)…" >&2
    if ! dotnet build "$runner_project" -nologo -v:q -clp:NoSummary -tl:off >"$build_log" 2>&1; then
      echo "The Koans runner itself does not build (infra/Koans.Runner). The errors:" >&2
      grep -E 'error' "$build_log" | sort -u | head -20 >&2 || tail -20 "$build_log" >&2
      exit 2
    fi
  fi
  exec 9>&-
fi

exec dotnet "$runner_dll" "$@"
