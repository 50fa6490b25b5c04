#!/usr/bin/env bash
# Runs the jobs of issue 5 on a fresh one-node cluster (SLURM_CONF names its slurm.conf; its job ids start at
# 1) and prints what sacct then reads from the accounting daemon, normalised for what differs between two
# runs against the same daemon (Fixtures/RealOutput/README.md lists it). The same script makes the fixture
# against the real slurmdbd (scripts/record-real-controller.sh) and runs in the test against ours, so both
# go through the same normalisation. Usage: controller-jobs.sh WORKDIR (the jobs' working directory).
set -euo pipefail
cd "$1"
. "$(dirname "$0")/controller-lib.sh"

# A job that times out: its limit lowered to 0 while it runs, so slurmctld's next time-limit pass (every
# 30 s) ends it. It holds one of the two CPUs while the others run on the second.
timeout_job=$(submit --wrap 'exec sleep 120')
until_true 30 "job $timeout_job running" running "$timeout_job"
scontrol update "JobId=$timeout_job" TimeLimit=0

ok_job=$(submit --wrap true)
failed_job=$(submit --wrap 'exit 3')
srun -N1 true
# exec: the batch step is the sleep itself, so scancel's signal ends it (CANCELLED), not a shell that
# reports its killed child as exit 143 (FAILED) when it wins the race.
cancelled_job=$(submit --wrap 'exec sleep 60')
until_true 30 "job $cancelled_job running" running "$cancelled_job"
scancel "$cancelled_job"
array_job=$(submit --array=0-9 --wrap true)
stepped_job=$(submit --wrap 'srun true; srun hostname')
jobs=16  # timeout, ok, failed, srun, cancelled, 10 array tasks, stepped

until_true 90 "all $jobs jobs stored" stored "$jobs"

run sacct -a
run sacct -a -X
run_all sacct -a --parsable2 -o ALL
run sacct -a -s F
run sacct -a -u root -A root
run sacct -j "$stepped_job"
run sacct -j "$array_job"
run sacct -a -X -j "$timeout_job,$cancelled_job" -o JobID,State,ExitCode,Timelimit
run sacct --federation
# More of sacct's filters over the same jobs.
run sacct -a -X -s F,TO,CA -S 00:00 -o JobID,State,ExitCode
run sacct -a -s CD -S 00:00 -E now -o JobID,State
run sacct -a -X -j "${array_job}_3,${array_job}_7" -o JobID,JobIDRaw,State
run sacct -a -X --name=true,hostname -o JobID,JobName
run sacct -a -N localhost -X -o JobID,NodeList
run sacct -a -X -r debug -q normal -o JobID,Partition,QOS
run sacct -a -j "$stepped_job.1" -o JobID,JobName,State
run sacct -a -X -o JobID,AllocTRES%40,ReqTRES%40 -j "$ok_job"
