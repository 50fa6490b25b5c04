#!/usr/bin/env bash
# Records what the real slurmdbd prints for a script of sacctmgr commands, in the format of
# tests/Accounting.Tests/Fixtures/RealOutput. The real daemon comes from ../shared/anchor:
#   ANCHOR_RUN=/tmp/anchor-x ../shared/anchor/real-slurm-up.sh --no-ctld     (a fresh database)
#   scripts/record-real-transcript.sh tests/Accounting.Tests/Fixtures/Scripts/X.txt /tmp/anchor-x/etc/slurm.conf > OUT
# Each line of the script is one sacctmgr command line (arguments split on blanks); TOOL=sreport runs
# sreport instead.
set -euo pipefail
script=$1
export SLURM_CONF=$2
tool=${TOOL:-sacctmgr}
while read -r line; do
  [ -n "$line" ] || continue
  read -ra args <<< "$line"
  echo "\$ $tool $line"
  status=0
  "$tool" "${args[@]}" 2>&1 || status=$?
  echo "[exit $status]"
done < "$script"
