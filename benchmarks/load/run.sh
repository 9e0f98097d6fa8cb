#!/usr/bin/env bash
# API load figures for docs/PERFORMANCE.md: wrk on loopback, bounded in time, each /api/v1 read measured
# beside the same rows served by the bare Npgsql endpoint (benchmarks/CityPairs.LoadBaseline) in the same run.
#
# Usage: benchmarks/load/run.sh [connection-string]
#   Default database: the development cluster of `./build.sh run` (start it first, e.g. with the app, then stop
#   the app). Fill it with `dotnet run --project src/CityPairs.Web -- generate --cities 100000` for the figures.
#   DURATION (default 20s), CONNECTIONS (16), THREADS (2) tune wrk; every run is bounded by DURATION.
set -euo pipefail
cd "$(dirname "$0")/../.."

duration=${DURATION:-20s}
connections=${CONNECTIONS:-16}
threads=${THREADS:-2}
app_port=5190
bare_port=5191
work=$(mktemp -d)

if [[ $# -gt 0 ]]; then
    connection=$1
else
    cluster=/var/tmp/citypairs-$(id -un)/postgres
    connection="Host=127.0.0.1;Port=55432;Database=citypairs;Username=citypairs;Password=$(cat "$cluster/password")"
fi

if ! command -v wrk >/dev/null; then
    echo "Installing wrk (Debian package)" >&2
    apt-get install -y wrk >/dev/null
fi

dotnet build src/CityPairs.Web -c Release -v quiet -nologo >/dev/null
dotnet build benchmarks/CityPairs.LoadBaseline -c Release -v quiet -nologo >/dev/null

pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

web=src/CityPairs.Web/bin/Release/net10.0/CityPairs.Web.dll
# Production: no migration or demo data at start, request logs as deployed. The API rate limit (per user) is
# lifted: it would otherwise turn the load into 429s after the first second.
export ConnectionStrings__CityPairs=$connection
export RateLimits__ApiPerMinute=100000000
ASPNETCORE_ENVIRONMENT=Production dotnet "$web" migrate >/dev/null
ASPNETCORE_ENVIRONMENT=Production dotnet "$web" --urls "http://127.0.0.1:$app_port" >"$work/app.log" 2>&1 &
pids+=($!)
dotnet benchmarks/CityPairs.LoadBaseline/bin/Release/net10.0/CityPairs.LoadBaseline.dll --urls "http://127.0.0.1:$bare_port" >"$work/bare.log" 2>&1 &
pids+=($!)
for port in $app_port $bare_port; do
    for _ in $(seq 1 60); do
        curl -fs "http://127.0.0.1:$port/health/live" >/dev/null 2>&1 && break
        curl -fs "http://127.0.0.1:$port/partnerships?pageSize=1" >/dev/null 2>&1 && break
        sleep 1
    done
done

token=$(ASPNETCORE_ENVIRONMENT=Production dotnet "$web" api-token admin@citypairs.local "load test $(date +%F)" | tail -1)
export WRK_AUTH="Bearer $token"
city=$(curl -fs -H "Authorization: $WRK_AUTH" "http://127.0.0.1:$app_port/api/v1/cities?search=rotterdam&pageSize=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
candidates=$(curl -fs -H "Authorization: $WRK_AUTH" "http://127.0.0.1:$app_port/api/v1/cities/$city/matches?limit=20" \
    | python3 -c 'import json,sys; print(",".join(str(s["candidateId"]) for s in json.load(sys.stdin)["suggestions"]))')

# name | app path | baseline path
cases=(
    "cities, first page|/api/v1/cities?page=1&pageSize=25|/cities?page=1&pageSize=25"
    "cities, page 200|/api/v1/cities?page=200&pageSize=25|/cities?page=200&pageSize=25"
    "cities, search \"san\"|/api/v1/cities?search=san&pageSize=25|/cities?search=san&pageSize=25"
    "partnerships, status Active|/api/v1/partnerships?status=Active&pageSize=25|/partnerships?status=Active&pageSize=25"
    "matches of one city, top 20|/api/v1/cities/$city/matches?limit=20|/cities/by-id?ids=$candidates"
)

same_rows() {
    # The comparison is only fair if both sides answer with the same rows.
    python3 - "$1" "$2" <<'PY'
import json, sys, urllib.request
def get(url, auth=None):
    request = urllib.request.Request(url, headers={"Authorization": auth} if auth else {})
    return json.load(urllib.request.urlopen(request))
import os
app = get(sys.argv[1], os.environ["WRK_AUTH"])
bare = get(sys.argv[2])
if "suggestions" in app:
    app = [s["candidateId"] for s in app["suggestions"]]
    bare = [c["candidateId"] for c in bare]
print("same rows" if app == bare else "DIFFERENT ROWS")
PY
}

run_wrk() {
    local auth=$1 url=$2
    WRK_AUTH=$auth wrk -t"$threads" -c"$connections" -d5s -s benchmarks/load/percentiles.lua "$url" >/dev/null # warm-up
    WRK_AUTH=$auth wrk -t"$threads" -c"$connections" -d"$duration" -s benchmarks/load/percentiles.lua "$url" | grep '^RESULT'
}

field() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$2"; }

printf 'wrk -t%s -c%s -d%s on loopback; app: Release, Production, Bearer token; baseline: bare Npgsql\n\n' "$threads" "$connections" "$duration"
printf '| Read | Side | Requests/s | p50 ms | p95 ms | p99 ms | Errors | Rows |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n'
for case in "${cases[@]}"; do
    IFS='|' read -r name app_path bare_path <<<"$case"
    check=$(same_rows "http://127.0.0.1:$app_port$app_path" "http://127.0.0.1:$bare_port$bare_path")
    app=$(run_wrk "$WRK_AUTH" "http://127.0.0.1:$app_port$app_path")
    bare=$(run_wrk "" "http://127.0.0.1:$bare_port$bare_path")
    for side in app bare; do
        r=${!side}
        printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$side" "$(field rps "$r")" "$(field p50_ms "$r")" \
            "$(field p95_ms "$r")" "$(field p99_ms "$r")" "$(field errors "$r")" "$check"
    done
    awk -v a="$(field rps "$app")" -v b="$(field rps "$bare")" -v pa="$(field p50_ms "$app")" -v pb="$(field p50_ms "$bare")" \
        'BEGIN { printf "|  | ratio app/bare | %.2f | %.2f |  |  |  |  |\n", a / b, pa / pb }'
done
