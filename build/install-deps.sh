#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine with the .NET 10 SDK lacks for OfaBuild's tests and sample:
#   python3-onnx          - the ONNX checker the export tests cross-check against (Debian's onnx 1.12)
#   dataset-fashion-mnist - Fashion-MNIST as gzipped IDX files in /usr/share/datasets/fashion-mnist
# NuGet packages (TorchSharp, libtorch, ONNX Runtime, ...) come with `dotnet restore`.
set -euo pipefail
packages=(python3-onnx dataset-fashion-mnist)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "OfaBuild needs these Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "Installing ${missing[*]} ..."
DEBIAN_FRONTEND=noninteractive apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
