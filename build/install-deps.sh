#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine with the .NET 10 SDK lacks for OfaBuild's tests and sample:
#   python3-onnx          - the ONNX checker the export tests cross-check against (Debian's onnx 1.12)
#   dataset-fashion-mnist - Fashion-MNIST as gzipped IDX files in /usr/share/datasets/fashion-mnist
#   qemu-user-static, libc6:arm64, libstdc++6:arm64
#                         - run the linux-arm64 publish of the end-to-end test on an x64 machine
#   clang, lld, zlib1g-dev - Native AOT's native compiler and linker (the end-to-end test publishes with PublishAot=true)
#   openssh-server        - the loopback sshd the `ofa profile --ssh` test starts (the service itself is not used)
# NuGet packages (TorchSharp, libtorch, ONNX Runtime, ...) come with `dotnet restore`.
set -euo pipefail
packages=(python3-onnx dataset-fashion-mnist qemu-user-static libc6:arm64 libstdc++6:arm64 clang lld zlib1g-dev openssh-server)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=()
for p in "${packages[@]}"; do installed "$p" || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "OfaBuild needs these Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo dpkg --add-architecture arm64 && sudo apt-get update && sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "Installing ${missing[*]} ..."
dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
DEBIAN_FRONTEND=noninteractive apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
