#!/usr/bin/env bash
# The generated-API suite: schemathesis drives every operation of /api/v1/openapi.json on a
# real `marketdesk serve --demo` (fresh SQLite folder, free port), once with the admin's
# token and once with a seller's, with every check it has. Any server error, any answer
# outside the documented status codes, content types or schemas fails the run.
#
#   tests/api-schema/run.sh [path/to/marketdesk]   (default target/debug/marketdesk)
#
# Needs `st` (schemathesis, pinned in requirements.txt) on PATH or in $ST.
#
# Every check runs but one by default: positive_data_acceptance (a schema-valid request
# must be accepted). schemathesis.toml, beside this script, lists the operations that may
# answer 422 to a schema-valid request, each with the rule no JSON Schema can state (an id
# that must exist, an instant in the future, a rule across fields); with it, that check
# passed as a seller in CI, but the admin's run found two operations more than a local run
# of the same seed did, so it is not yet CI's default. SCHEMA_ALL_CHECKS=--checks=all runs
# it. SCHEMA_ROLES=seller (or admin) runs one role.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${1:-$repo/target/debug/marketdesk}
st=${ST:-st}
seed=${SCHEMA_SEED:-20261207}
examples=${SCHEMA_EXAMPLES:-5}
# One worker: CPython 3.11's AST parser (hypothesis describes its strategies with it) is
# not safe across threads (gh-106905) and aborts a run now and then with two.
[ -x "$bin" ] || { echo "error: no marketdesk binary at $bin" >&2; exit 2; }

work=$(mktemp -d /tmp/marketdesk-schema.XXXXXX)
admin_token="mdk_schema_suite_admin_token_0123456789"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The generator sends thousands of deliberately wrong tokens from one address; with the
# default throttle (20 failures, then one every 3 s) every later request would be a 429
# and the run would test nothing else. The throttle has its own tests.
MARKETDESK_AUTH_FAILURE_BURST=1000000 \
MARKETDESK_ADMIN_TOKEN=$admin_token RUST_LOG=warn "$bin" serve --demo \
  --listen 127.0.0.1:0 --data-dir "$work/data" >"$work/out" 2>"$work/err" &
server_pid=$!
for _ in $(seq 1 600); do
  grep -q '^console: ' "$work/out" 2>/dev/null && grep -q 'console logins' "$work/out" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/out" "$work/err" >&2; echo "error: server exited" >&2; exit 2; }
  sleep 0.2
done
base=$(sed -n 's#^console: \(http://[0-9.:]*\)/$#\1#p' "$work/out")
# The first demo store's seller: a seller token sees only its own store.
seller_token=$(grep -m1 'seller token: ' "$work/out" | sed 's/.*seller token: //')
[ -n "$base" ] && [ -n "$seller_token" ] || { cat "$work/out" >&2; echo "error: no address or seller token" >&2; exit 2; }

status=0
# The per-operation allowances go with the check they tune, and only with it.
config=()
[ -n "${SCHEMA_ALL_CHECKS:-}" ] && config=(--config-file "$here/schemathesis.toml")
# The seller first: the admin's run may disable accounts and replace tokens.
for who in ${SCHEMA_ROLES:-seller admin}; do
  token=$admin_token
  [ "$who" = seller ] && token=$seller_token
  echo "== schemathesis as $who against $base (seed $seed, up to $examples examples per operation)"
  # From the scratch folder: schemathesis keeps its cache of past failures where it runs.
  (cd "$work" && "$st" "${config[@]}" run "$base/api/v1/openapi.json" \
    --checks all \
    ${SCHEMA_ALL_CHECKS:---exclude-checks positive_data_acceptance} \
    --seed "$seed" \
    --max-examples "$examples" \
    --phases examples,coverage,fuzzing \
    --workers 1 \
    --request-timeout 20 \
    --suppress-health-check all \
    --report junit --report-junit-path "$work/$who.xml" \
    -H "Authorization: Bearer $token") || status=1
done
if [ -s "$work/err" ]; then
  # Warnings the server logged while being fuzzed: read, not judged.
  echo "== server log (warnings and errors)"; tail -n 40 "$work/err"
fi
exit $status
