#!/usr/bin/env bash
# The main job of the README: pack OfaBuild into the local feed, then build and run the FashionClassifier
# sample, which consumes the package as a user would. Its build specialises the default supernet
# (samples/models/fashion-mnist.ofa) for three devices; the app classifies the Fashion-MNIST test split.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/build/install-deps.sh"
if [ ! -f "$root/samples/models/fashion-mnist.ofa" ]; then
  echo "samples/models/fashion-mnist.ofa is missing: the default supernet has not been committed yet." >&2
  echo "Train it with the command in samples/models/README.md, or point the sample at another .ofa." >&2
  exit 1
fi
version="$("$root/build/pack.sh")"
echo "packed OfaBuild $version"
dotnet run --project "$root/samples/FashionClassifier" -c Release -p:OfaBuildVersion="$version" -- "$@"
