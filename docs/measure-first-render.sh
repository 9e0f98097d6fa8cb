#!/usr/bin/env bash
# Time to the complete prerendered HTML of the main pages (docs/PERFORMANCE.md). Loopback only.
# Usage: bash docs/measure-first-render.sh [base-url] [city-id] [partnership-id]
set -euo pipefail
base=${1:-http://127.0.0.1:5080}
city=${2:-1}
partnership=${3:-1}
for path in /health/live / /cities "/cities/$city" /partnerships "/partnerships/$partnership" /programmes /matches /dashboards /map; do
  for _ in 1 2 3; do curl -s -o /dev/null "$base$path"; done
  times=$(for _ in $(seq 1 20); do curl -s -o /dev/null -w '%{time_total}\n' "$base$path"; done | sort -n)
  printf '%-24s p50 %ss  p95 %ss\n' "$path" "$(sed -n 10p <<<"$times")" "$(sed -n 19p <<<"$times")"
done
