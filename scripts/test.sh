#!/usr/bin/env bash
# Runs every test: unit, integration (private MariaDB) and end-to-end (real Slurm clients, private munged).
# Ends with one line "N passed, N failed[, N skipped]".
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

require_dotnet
require_packages mariadb-server mariadb-client munge libmunge2 slurm-client slurmctld slurmd

dotnet restore Accounting.sln >&2
dotnet build Accounting.sln -c Release --no-restore >&2

# Day and month rollups follow the local time zone, as slurmdbd's do; the recorded sreport and rollup
# outputs were made in UTC.
export TZ=UTC
results=$(mktemp -d)
status=0
dotnet test Accounting.sln -c Release --no-build --logger "trx;LogFileName=results.trx" \
  --results-directory "$results" || status=$?

trx=$(find "$results" -name results.trx | head -n 1)
if [ -z "$trx" ]; then
  echo "0 passed, 1 failed"
  exit 1
fi
counters=$(grep -o '<Counters [^>]*>' "$trx")
count() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
passed=$(count passed); failed=$(count failed); skipped=$(count notExecuted)
line="$passed passed, $failed failed"
[ "${skipped:-0}" -gt 0 ] && line="$line, $skipped skipped"
rm -rf "$results"
echo "$line"
exit $status
