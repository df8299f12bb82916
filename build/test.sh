#!/usr/bin/env bash
# The test command of the README: installs missing Debian packages, then runs every test project.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/build/install-deps.sh"
cd "$root"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
dotnet test OfaBuild.sln -c Release "$@" 2>&1 | tee "$log" || status=$?
# One closing line for the whole run, summed over the test projects.
awk '/(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) } }
     END { printf "total: %d passed, %d failed\n", p, f }' "$log"
exit $status
