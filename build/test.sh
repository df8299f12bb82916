#!/usr/bin/env bash
# The test command of the README: installs missing Debian packages, then runs every test project.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/build/install-deps.sh"
# Reference fixtures live in the shared/ folder beside the repository.
export OFABUILD_SHARED="${OFABUILD_SHARED:-$(cd "$root/.." && pwd)/shared}"
cd "$root"
dotnet test OfaBuild.sln -c Release "$@"
