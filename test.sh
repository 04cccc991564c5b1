#!/usr/bin/env bash
# Builds Parley and runs every test suite, then prints one summary line: "N passed, N failed, N skipped".
# Needs the .NET 10 SDK, Node.js with npm, coturn's client tools (turnutils_*) and Debian's chromium;
# `bash .ci/run` installs them first.
set -uo pipefail
cd "$(dirname "$0")"

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

if ! dotnet build Parley.slnx -c Release --nologo -v quiet; then
  echo "0 passed, 1 failed (the build failed)"
  exit 1
fi

dotnet test Parley.slnx -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results"
status=$?

passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + t - e))
done

# The unmodified OpenVidu client libraries against the built server (node's own test runner).
if [ ! -d tests/node/node_modules ]; then
  (cd tests/node && npm ci --no-audit --no-fund)
fi
(cd tests/node && PARLEY_CONFIGURATION=Release node --test --test-reporter=spec) | tee "$results/node.txt"
node_status=${PIPESTATUS[0]}
p=$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$results/node.txt"); f=$(sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' "$results/node.txt")
s=$(sed -n 's/^ℹ skipped \([0-9]*\)$/\1/p' "$results/node.txt")
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
[ "$node_status" -eq 0 ] || status=$node_status

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # a test host crashed or a run aborted without a failing test being counted
fi
echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
