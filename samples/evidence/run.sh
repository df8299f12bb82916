#!/usr/bin/env bash
# Reproduces the README's evidence tables: the three subnets in this folder trained from scratch
# (the baseline) and the space trained without progressive shrinking (the ablation), each compared
# with the same subnets extracted from a supernet. Hours of CPU on 2 cores: run it in the background.
#
#   samples/evidence/run.sh SUPERNET.ofa FULL_EPOCHS ABLATION_EPOCHS OUT_DIR
#
# FULL_EPOCHS: epochs of each from-scratch run (at least the supernet's full-net phase).
# ABLATION_EPOCHS: epochs of the ablation at 4 subnets per step; the same number of subnet passes as
# a progressive-shrinking run is (sum over its phases of epochs x subnets per step) / 4.
# Finished runs in OUT_DIR are reused, interrupted ones resumed. THREADS (default 2) sets libtorch threads.
set -euo pipefail
if [ $# -ne 4 ]; then sed -n 6,11p "$0" >&2; exit 2; fi
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
supernet="$1" epochs="$2" ablation_epochs="$3" out="$4"
threads="${THREADS:-2}"
mkdir -p "$out"

dotnet build "$root/src/OfaBuild.Tool" -c Release -v q -nologo >&2
ofa() { dotnet "$root/src/OfaBuild.Tool/bin/Release/net10.0/ofa.dll" "$@"; }
train() { # OUT.ofa OPTIONS...: skipped when OUT.ofa exists, resumed from OUT.ofa.ckpt otherwise
  local o="$1"; shift
  [ -f "$o" ] || ofa train --dataset fashion-mnist --space mbv3-fmnist -o "$o" --threads "$threads" --holdout 0 --resume "$@" >&2
}
top1() { # MODEL SUBNET -> top-1 in percent on the test split, BN recalibrated
  ofa eval --model "$1" --config "$here/$2.json" --dataset fashion-mnist --split test --threads "$threads" --json \
    | tail -1 | grep -o '"top1":[0-9.]*' | awk -F: '{ printf "%.2f %%", $2 * 100 }'
}
minutes() { grep -o 'training finished in [0-9.]* min' "$1" | tail -1 | awk '{ print $4 " min" }'; }

for s in smallest middle largest; do
  train "$out/scratch-$s.ofa" --fixed "$here/$s.json" --epochs-full "$epochs"
done
train "$out/ablation.ofa" --no-progressive --epochs-full "$ablation_epochs"

echo "| subnet | extracted from $(basename "$supernet") | from scratch, $epochs epochs | its training time | without progressive shrinking |"
echo "|---|---|---|---|---|"
for s in smallest middle largest; do
  echo "| $s | $(top1 "$supernet" $s) | $(top1 "$out/scratch-$s.ofa" $s) | $(minutes "$out/scratch-$s.ofa.log") | $(top1 "$out/ablation.ofa" $s) |"
done
echo "ablation training time: $(minutes "$out/ablation.ofa.log")"
