#!/usr/bin/env bash
# CityPairs build entry point for developers and CI: ./build.sh run|test|help
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RESULTS_DIR="artifacts/test-results"
# Order matters only for reading the output: fast feedback first, the browser last.
TEST_PROJECTS=(UnitTests IntegrationTests EndToEndTests)

# Quiet, non-interactive dotnet: CI runs with no stdin and we do not want banners in the logs.
export DOTNET_NOLOGO="${DOTNET_NOLOGO:-1}"
export DOTNET_CLI_TELEMETRY_OPTOUT="${DOTNET_CLI_TELEMETRY_OPTOUT:-1}"

APT_UPDATED=0
SUDO=()
POLICY_RC_D=/usr/sbin/policy-rc.d
POLICY_RC_D_MARK="# temporary: written by CityPairs build.sh"

log() { printf '==> %s\n' "$*"; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

usage() {
    cat <<'EOF'
Usage: ./build.sh <command> [args]

Commands:
  run [app args]  Start the web app on http://localhost:5080 (Development).
                  Extra args go to the app, e.g. ./build.sh run migrate
  test            Build Release, run unit, integration and end-to-end tests,
                  write TRX files to artifacts/test-results and print totals.
  help            Show this help (default).

Before run/test the script checks for the .NET SDK and installs missing
PostgreSQL server binaries (and, for test, Chromium) with apt-get when it
runs as root or has password-less sudo.

Environment:
  ConnectionStrings__CityPairs  Database for `run`. Unset in Development: the
                                app starts a private PostgreSQL cluster.
  CITYPAIRS_TEST_DB             Connection string the tests use. Unset: a
                                Testcontainers PostgreSQL when Docker answers,
                                else a throwaway local cluster.
  CITYPAIRS_CHROMIUM            Chromium executable for the end-to-end tests
                                (default /usr/bin/chromium or `chromium` on PATH).
EOF
}

# --- prerequisites -----------------------------------------------------------

# apt-get needs root; prefer failing with one clear line over a password prompt
# (CI has no stdin).
can_install() {
    command -v apt-get >/dev/null 2>&1 || return 1
    if [[ $EUID -eq 0 ]]; then
        SUDO=()
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO=(sudo -n)
    else
        return 1
    fi
}

as_root() { "${SUDO[@]}" "$@"; }

apt_install() {
    local package=$1
    if [[ $APT_UPDATED -eq 0 ]]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
        APT_UPDATED=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends "$package"
}

# Debian's postgresql package creates a "main" cluster and tries to start it.
# We never use that cluster (the app and tests run their own), and in a
# container without an init system the start can fail and break the install.
# A policy-rc.d that answers 101 tells invoke-rc.d to skip service starts.
deny_service_starts() {
    if [[ -e $POLICY_RC_D ]] && ! grep -qF "$POLICY_RC_D_MARK" "$POLICY_RC_D"; then
        return 0 # someone else's policy (Docker images ship one): leave it alone
    fi
    as_root sh -c "printf '#!/bin/sh\n%s\nexit 101\n' '$POLICY_RC_D_MARK' > '$POLICY_RC_D' && chmod 755 '$POLICY_RC_D'"
    trap allow_service_starts EXIT
}

allow_service_starts() {
    if [[ -e $POLICY_RC_D ]] && grep -qF "$POLICY_RC_D_MARK" "$POLICY_RC_D"; then
        as_root rm -f "$POLICY_RC_D"
    fi
    trap - EXIT
}

find_initdb() {
    local candidate
    if command -v initdb >/dev/null 2>&1; then
        command -v initdb
        return 0
    fi
    for candidate in /usr/lib/postgresql/*/bin/initdb; do
        if [[ -x $candidate ]]; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

find_chromium() {
    if [[ -n ${CITYPAIRS_CHROMIUM:-} ]]; then
        # An explicit choice (a path or a command name) is never replaced by a guess.
        if [[ $CITYPAIRS_CHROMIUM == */* ]]; then
            [[ -x $CITYPAIRS_CHROMIUM ]] && echo "$CITYPAIRS_CHROMIUM"
        else
            command -v "$CITYPAIRS_CHROMIUM"
        fi
        return
    fi
    if [[ -x /usr/bin/chromium ]]; then
        echo /usr/bin/chromium
    elif command -v chromium >/dev/null 2>&1; then
        command -v chromium
    else
        return 1
    fi
}

require_dotnet() {
    command -v dotnet >/dev/null 2>&1 ||
        die "dotnet not found: install the .NET 10 SDK (https://dotnet.microsoft.com/download/dotnet/10.0)"
}

require_postgres_binaries() {
    local initdb
    if initdb=$(find_initdb); then
        log "PostgreSQL server binaries: ${initdb%/initdb}"
        return 0
    fi
    can_install ||
        die "PostgreSQL server binaries (initdb) not found: install the 'postgresql' package (apt-get install postgresql)"
    log "Installing PostgreSQL server binaries (package postgresql)"
    deny_service_starts
    # A failed start of the auto-created cluster is not our problem; the
    # binaries are what we need, and we check for them right below.
    apt_install postgresql || log "apt-get reported an error installing postgresql; checking for initdb anyway"
    allow_service_starts
    initdb=$(find_initdb) ||
        die "PostgreSQL server binaries (initdb) still not found: install the 'postgresql' package"
    log "PostgreSQL server binaries: ${initdb%/initdb}"
}

# The web project bundles Leaflet and the country outlines from npm at build time (no CDN).
require_node() {
    if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
        log "Node.js: $(node --version), npm $(npm --version 2>/dev/null)"
        return 0
    fi
    can_install ||
        die "Node.js and npm not found: install the 'nodejs' and 'npm' packages (apt-get install nodejs npm)"
    log "Installing Node.js and npm (packages nodejs, npm) for the web assets"
    apt_install nodejs
    command -v npm >/dev/null 2>&1 || apt_install npm
    command -v npm >/dev/null 2>&1 || die "npm still not found after installing the 'npm' package"
}

require_chromium() {
    local chromium
    if chromium=$(find_chromium); then
        :
    elif [[ -n ${CITYPAIRS_CHROMIUM:-} ]]; then
        die "CITYPAIRS_CHROMIUM=$CITYPAIRS_CHROMIUM is not an executable: fix it or unset it"
    else
        can_install ||
            die "Chromium not found: install the 'chromium' package (apt-get install chromium) or set CITYPAIRS_CHROMIUM"
        log "Installing Chromium (package chromium) for the end-to-end tests"
        apt_install chromium
        chromium=$(find_chromium) || die "Chromium still not found after installing the 'chromium' package"
    fi
    # Exported so the end-to-end tests can launch a chromium found on PATH too
    # (they should read it and default to /usr/bin/chromium).
    export CITYPAIRS_CHROMIUM=$chromium
    log "Chromium: $chromium"
}

ensure_prerequisites() {
    local command=$1
    require_dotnet
    require_postgres_binaries
    require_node
    if [[ $command == test ]]; then
        require_chromium
    fi
    log "Restoring local dotnet tools"
    dotnet tool restore
}

# --- test results ------------------------------------------------------------

# Reads one attribute of the TRX <Counters .../> element. The leading space
# keeps " passed=" from matching "passedButRunAborted=" and " executed=" from
# matching "notExecuted="; joining lines copes with attributes on several lines.
trx_counter() {
    local file=$1 attribute=$2
    tr '\n\r' '  ' <"$file" |
        grep -o '<Counters [^>]*>' |
        head -n 1 |
        sed -n "s/.* $attribute=\"\\([0-9]*\\)\".*/\\1/p" ||
        true # no <Counters>: the caller reports the file as unreadable
}

# Prints a line per project and the totals line last, so CI can read it with
# `tail -n 1`. Returns non-zero when a TRX file is missing or unreadable.
summarize_results() {
    local name file total executed passed failed skipped
    local sum_passed=0 sum_failed=0 sum_skipped=0 complete=0
    echo
    log "Test results ($RESULTS_DIR)"
    for name in "${TEST_PROJECTS[@]}"; do
        file="$RESULTS_DIR/$name.trx"
        total="" executed="" passed="" failed=""
        if [[ -f $file ]]; then
            total=$(trx_counter "$file" total)
            executed=$(trx_counter "$file" executed)
            passed=$(trx_counter "$file" passed)
            failed=$(trx_counter "$file" failed)
        fi
        if [[ -z $total || -z $executed || -z $passed || -z $failed ]]; then
            printf '  %-18s no results (%s missing or without <Counters>)\n' "$name" "$file"
            complete=1
            continue
        fi
        # VSTest counts a skipped test in total but not in executed.
        skipped=$((total - executed))
        printf '  %-18s %d passed, %d failed, %d skipped\n' "$name" "$passed" "$failed" "$skipped"
        sum_passed=$((sum_passed + passed))
        sum_failed=$((sum_failed + failed))
        sum_skipped=$((sum_skipped + skipped))
    done
    printf 'Elapsed: %dm %02ds\n' $((SECONDS / 60)) $((SECONDS % 60))
    printf 'tests: %d passed, %d failed, %d skipped\n' "$sum_passed" "$sum_failed" "$sum_skipped"
    return "$complete"
}

# --- commands ----------------------------------------------------------------

cmd_run() {
    ensure_prerequisites run
    # `--` so app arguments such as `migrate` are never taken for dotnet run options.
    exec dotnet run --project src/CityPairs.Web --launch-profile CityPairs -- "$@"
}

cmd_test() {
    SECONDS=0
    ensure_prerequisites test

    log "Building CityPairs.sln (Release)"
    dotnet build CityPairs.sln -c Release

    mkdir -p "$RESULTS_DIR"
    local name failed_projects=()
    for name in "${TEST_PROJECTS[@]}"; do
        # A stale file from an earlier run must not stand in for a project that crashed.
        rm -f "$RESULTS_DIR/$name.trx"
        log "Testing $name"
        # Keep going after a failure so every project prints its totals.
        if ! dotnet test "tests/CityPairs.$name/CityPairs.$name.csproj" -c Release --no-build \
            --logger "trx;LogFileName=$name.trx" \
            --results-directory "$RESULTS_DIR" \
            --logger "console;verbosity=normal"; then
            failed_projects+=("$name")
        fi
    done

    local status=0
    if [[ ${#failed_projects[@]} -gt 0 ]]; then
        printf 'build.sh: failing test projects: %s\n' "${failed_projects[*]}" >&2
        status=1
    fi
    # Last, so the totals line is the final line of the output.
    summarize_results || status=1
    return "$status"
}

main() {
    cd "$ROOT"
    local command=${1:-help}
    if [[ $# -gt 0 ]]; then shift; fi
    case $command in
        run) cmd_run "$@" ;;
        test) cmd_test "$@" ;;
        help | -h | --help) usage ;;
        *)
            usage >&2
            printf '\nbuild.sh: unknown command "%s"\n' "$command" >&2
            exit 2
            ;;
    esac
}

# Sourcing the script (e.g. to try trx_counter) defines the functions only.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    main "$@"
fi
