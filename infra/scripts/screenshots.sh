#!/usr/bin/env bash
# Retakes the README's screenshots from the real program (docs/report.png, docs/dojo.png). Needs Debian's chromium
# (/usr/bin/chromium) and script(1). file:// only: nothing leaves the machine.
#   report: a class page from two results files written by ./run-katas.sh --json, rendered by chromium --screenshot.
#   dojo:   ./run-katas.sh dojo crypto.hashing in an 80x24 pseudo-terminal (script), the last red frame turned into
#           HTML (a few lines of Python for the colour codes Spectre.Console writes) and rendered by chromium.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chromium() {
  /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$work/profile" --hide-scrollbars "$@" 2>/dev/null
}

# The report: the class page from the results files in $1 (one <learner>.json each, from ./run-katas.sh --json).
if [ -n "${1:-}" ]; then
  ./run-katas.sh report --merge "$1" --html "$work/class.html"
  chromium --window-size=1100,620 --screenshot="$PWD/docs/report.png" "file://$work/class.html"
fi

# Dojo mode: 40 s to build and test the kata (more on a busy machine: KOANS_SHOT_WAIT), then q.
(sleep "${KOANS_SHOT_WAIT:-40}"; printf q; sleep 3) |
  script -q -f -c 'stty rows 24 cols 80; TERM=xterm-256color ./run-katas.sh dojo crypto.hashing --rotate 5m' "$work/dojo.typescript" >/dev/null
python3 - "$work/dojo.typescript" "$work/dojo.html" <<'PY'
import html, re, sys
frames = open(sys.argv[1], 'rb').read().decode('utf-8', 'replace').split('\x1b[H\x1b[2J')
# The last red frame, without what follows it when the dojo quits (the cursor back on, script's own trailer).
frame = [f for f in frames if ' RED ' in re.sub(r'\x1b\[[0-9;?]*[A-Za-z]', '', f)][-1].split('\x1b[?25h')[0]
palette = {30: '#000', 90: '#777', 91: '#ff5555', 92: '#50fa7b', 93: '#f1fa8c', 94: '#6b8cff', 101: '#ff5555', 102: '#50fa7b', 103: '#f1fa8c'}
out, style = [], {}
for part in re.split(r'(\x1b\[[0-9;?]*[A-Za-z])', frame.replace('\r', '')):
    if part.startswith('\x1b['):
        if part.endswith('m'):
            codes = [int(c) for c in part[2:-1].split(';') if c] or [0]
            for c in codes:
                if c == 0: style = {}
                elif c == 1: style['font-weight'] = 'bold'
                elif c >= 100 or 40 <= c < 50: style['background'] = palette.get(c, '#333')
                else: style['color'] = palette.get(c, '#ddd')
        continue
    css = ';'.join(f'{k}:{v}' for k, v in style.items())
    out.append(f'<span style="{css}">{html.escape(part)}</span>' if css else html.escape(part))
open(sys.argv[2], 'w').write('<!DOCTYPE html><meta charset="utf-8"><body style="margin:0;background:#1e1e1e">'
    '<pre style="margin:0;padding:10px;color:#ddd;font:16px/1.2 \'DejaVu Sans Mono\',monospace">' + ''.join(out) + '</pre>')
PY
chromium --window-size=800,520 --screenshot="$PWD/docs/dojo.png" "file://$work/dojo.html"
ls -l docs/*.png
