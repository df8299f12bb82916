#!/usr/bin/env bash
# Packs the full `ofa` tool (package OfaBuild.Cli: every command, training included, with TorchSharp and libtorch)
# into nuget/feed/ (or the folder given as $1) with a fresh pre-release version and prints that version. Then:
#   dotnet tool install --global --add-source nuget/feed OfaBuild.Cli --version <printed version>
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
feed="${1:-$root/nuget/feed}"
version="0.1.0-dev.$(date -u +%Y%m%d%H%M%S)"
dotnet pack "$root/src/OfaBuild.Tool/OfaBuild.Tool.csproj" -c Release -p:PackageVersion="$version" -o "$feed" -v quiet -nologo >&2
echo "$version"
