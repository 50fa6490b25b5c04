#!/usr/bin/env bash
# Jobs with and without a wckey on a fresh one-node cluster that tracks wckeys (the "# slurm.conf:" and
# "# slurmdbd.conf:" lines below are added to the configurations by the recorder and the test), then what
# sacct and sacctmgr read back, normalised as controller-jobs.sh does (controller-lib.sh).
# Usage: wckey-jobs.sh WORKDIR (the jobs' working directory).
# slurm.conf: TrackWCKey=yes
# slurmdbd.conf: TrackWCKey=yes
set -euo pipefail
cd "$1"
. "$(dirname "$0")/controller-lib.sh"

submit --wrap true >/dev/null
submit --wckey=proj --wrap true >/dev/null
srun --wckey=proj2 true
submit --wrap true >/dev/null
jobs=4
until_true 90 "all $jobs jobs stored" stored "$jobs"

run sacct -a -o JobID,JobName,State,WCKey,WCKeyID
run sacct -a -X -o JobID,WCKey
run sacct -a -X --wckeys=proj -o JobID,WCKey
run sacctmgr -n -P show wckey format=wckey,cluster,user,id
run sacctmgr -n -P show user format=user,defaultwckey
