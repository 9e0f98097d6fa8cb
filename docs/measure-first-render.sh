#!/usr/bin/env bash
# Time to the complete prerendered HTML of the main pages (docs/PERFORMANCE.md). Loopback only.
# Usage: bash docs/measure-first-render.sh [base-url] [city-id] [partnership-id] [path...]
# Signs in as the demo programme officer first (every page but /health/live needs a signed-in user).
set -euo pipefail
base=${1:-http://127.0.0.1:5080}
city=${2:-1}
partnership=${3:-1}
shift $(( $# < 3 ? $# : 3 ))
paths=("$@")
if [ ${#paths[@]} -eq 0 ]; then
  paths=(/health/live / /cities "/cities/$city" /partnerships "/partnerships/$partnership" /programmes /matches /dashboards /map)
fi
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
token=$(curl -s -c "$jar" -b "$jar" "$base/Account/Login" | grep -o 'name="__RequestVerificationToken" value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "__RequestVerificationToken=$token" --data-urlencode "_handler=login" \
  --data-urlencode "Input.Email=officer@citypairs.local" --data-urlencode "Input.Password=CityPairs-Demo-2026!" "$base/Account/Login"
for path in "${paths[@]}"; do
  for _ in 1 2 3; do curl -s -o /dev/null -b "$jar" "$base$path"; done
  times=$(for _ in $(seq 1 20); do curl -s -o /dev/null -b "$jar" -w '%{time_total} %{http_code}\n' "$base$path"; done | sort -n)
  codes=$(awk '{print $2}' <<<"$times" | sort -u | tr '\n' ' ')
  printf '%-24s p50 %ss  p95 %ss  (HTTP %s)\n' "$path" "$(sed -n 10p <<<"$times" | cut -d' ' -f1)" "$(sed -n 19p <<<"$times" | cut -d' ' -f1)" "$codes"
done
