#!/usr/bin/env bash
# The main job of the README. Until the FashionClassifier sample app lands (build-integration issue),
# it runs the `ofa` tool on the reference supernet: import the PyTorch checkpoint, inspect it, and
# extract + export its smallest and largest subnets to ONNX under out/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/build/install-deps.sh"
shared="${OFABUILD_SHARED:-$(cd "$root/.." && pwd)/shared}"
checkpoint="$shared/fixtures/ofa-reference/supernet_state_dict.pt"
out="$root/out"
mkdir -p "$out"
dotnet build "$root/src/OfaBuild.Cli" -c Release -v quiet -nologo
ofa() { dotnet "$root/src/OfaBuild.Cli/bin/Release/net10.0/ofa.dll" "$@"; }
ofa import "$checkpoint" --space mbv3-w1.0 --classes 10 -o "$out/reference.ofa"
ofa inspect --model "$out/reference.ofa"
ofa export --model "$out/reference.ofa" --smallest -o "$out/smallest.onnx"
ofa export --model "$out/reference.ofa" --largest -o "$out/largest.onnx"
