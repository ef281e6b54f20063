#!/usr/bin/env bash
# The `amends serve` command line scripts/run builds from its arguments (its function, sourced; nothing is built or
# served): the quick start's defaults, and none of them where the arguments or a config file decide.
set -uo pipefail
source "$(dirname "$0")/../../scripts/run"
failures=0
expect() {  # expect "ARGS..." "WANTED serve ARGS"
    local args=()
    [ -n "$1" ] && read -r -a args <<<"$1"
    run_serve_args "${args[@]}"
    if [ "${RUN_SERVE_ARGS[*]}" != "$2" ]; then
        echo "scripts/run $1: amends ${RUN_SERVE_ARGS[*]}, want amends $2" >&2
        failures=$((failures + 1))
    fi
}
expect "" "serve --demo --db ./amends.db --listen 127.0.0.1:8080"
expect "--listen 127.0.0.1:9090" "serve --demo --db ./amends.db --listen 127.0.0.1:9090"
expect "--db other.db" "serve --demo --listen 127.0.0.1:8080 --db other.db"
expect "--db=other.db --listen=0.0.0.0:80" "serve --demo --db=other.db --listen=0.0.0.0:80"
expect "--config amends.toml" "serve --demo --config amends.toml"
expect "--config=amends.toml --smtp smtp://127.0.0.1:2525" "serve --demo --config=amends.toml --smtp smtp://127.0.0.1:2525"
expect "--config amends.toml --listen 127.0.0.1:9090" "serve --demo --config amends.toml --listen 127.0.0.1:9090"
expect "--demo" "serve --db ./amends.db --listen 127.0.0.1:8080 --demo"
# A path holding a space stays one argument.
run_serve_args --config "my config.toml"
[ "${#RUN_SERVE_ARGS[@]}" -eq 4 ] && [ "${RUN_SERVE_ARGS[3]}" = "my config.toml" ] ||
    { echo "scripts/run --config 'my config.toml': ${RUN_SERVE_ARGS[*]}" >&2; failures=$((failures + 1)); }
[ "$failures" -eq 0 ] && echo "scripts/run arguments: all as expected"
exit $((failures > 0))
