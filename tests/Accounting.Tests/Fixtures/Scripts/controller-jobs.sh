#!/usr/bin/env bash
# Runs the jobs of issue 5 on a fresh one-node cluster (SLURM_CONF names its slurm.conf; its job ids start at
# 1) and prints what sacct then reads from the accounting daemon, normalised for what differs between two
# runs against the same daemon (Fixtures/RealOutput/README.md lists it). The same script makes the fixture
# against the real slurmdbd (scripts/record-real-controller.sh) and runs in the test against ours, so both
# go through the same normalisation. Usage: controller-jobs.sh WORKDIR (the jobs' working directory).
set -euo pipefail
cd "$1"
work=$PWD

submit() { sbatch --output /dev/null "$@" | awk '/^Submitted batch job/ { print $4 }'; }
state() { squeue -h -j "$1" -o %T 2>/dev/null || true; }
until_true() {  # seconds description command...
  local limit=$1 what=$2 i
  shift 2
  for ((i = 0; i < limit * 4; i++)); do
    "$@" && return 0
    sleep 0.25
  done
  echo "not reached within $limit s: $what" >&2
  exit 1
}
running() { [ "$(state "$1")" = RUNNING ]; }

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

agent_queue() { sdiag | awk -F: '/DBD Agent queue size/ { gsub(/ /, "", $2); print $2 }'; }
# Ends come through the agent queue and starts from slurmctld's db-index thread, in either order: done when
# every job reads back with its partition (from the start) and an end, and nothing is queued.
stored() {
  [ -z "$(squeue -h)" ] || return 1
  [ "$(sacct -a -X -n -P -o Partition,End | grep -c '^debug|[0-9]')" = "$jobs" ] || return 1
  [ "$(agent_queue)" = 0 ]
}
until_true 90 "all $jobs jobs stored" stored

# Values that differ from run to run are replaced by '*' (an empty value stays empty, so that a value
# missing on one side still shows): times, durations, resource usage measured by the node, the order in
# which the database numbered the rows, and the scheduler (main or backfill) that happened to start a job.
normalise_all() {
  awk -F'|' -v OFS='|' '
    NR == 1 {
      for (i = 1; i <= NF; i++) name[i] = $i
      print; next
    }
    {
      for (i = 1; i <= NF; i++) {
        n = name[i]
        if ($i == "" || $i == "Unknown" || $i == "None") continue
        if (n ~ /^(Submit|Eligible|Start|End|Elapsed|ElapsedRaw|CPUTime|CPUTimeRAW|TotalCPU|UserCPU|SystemCPU|Reserved|ResvCPU|ResvCPURAW|DBIndex)$/ ||
            n ~ /^(Ave|Max|Min)(CPU|CPUFreq|RSS|VMSize|Pages|DiskRead|DiskWrite)$/ || n == "ConsumedEnergy" || n == "ConsumedEnergyRaw")
          $i = "*"
        else if (n ~ /^TRESUsage(In|Out)/)
          gsub(/=[^,]*/, "=*", $i)
        else if (n == "Flags")
          gsub(/Sched(Main|Backfill|Submit)/, "Sched*", $i)
      }
      print
    }'
}

run() {  # prints a command, its output and its exit status, as the other RealOutput fixtures
  local status=0 output
  echo "\$ $*"
  output=$("$@" 2>&1) || status=$?
  printf '%s\n' "$output" | sed "s#$work#WORKDIR#g"
  echo "[exit $status]"
}
run_all() {
  local status=0 output
  echo "\$ $* (normalised)"
  output=$("$@" 2>&1) || status=$?
  printf '%s\n' "$output" | sed "s#$work#WORKDIR#g" | normalise_all
  echo "[exit $status]"
}

run sacct -a
run sacct -a -X
run_all sacct -a --parsable2 -o ALL
run sacct -a -s F
run sacct -a -u root -A root
run sacct -j "$stepped_job"
run sacct -j "$array_job"
run sacct -a -X -j "$timeout_job,$cancelled_job" -o JobID,State,ExitCode,Timelimit
run sacct --federation
