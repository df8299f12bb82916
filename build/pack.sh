#!/usr/bin/env bash
# Packs the OfaBuild NuGet package into nuget/feed/ with a fresh pre-release version and prints that version.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
suffix="dev.$(date -u +%Y%m%d%H%M%S)"
dotnet pack "$root/nuget/OfaBuild.csproj" -c Release -p:OfaVersionSuffix="$suffix" -v quiet -nologo >&2
echo "0.1.0-$suffix"
