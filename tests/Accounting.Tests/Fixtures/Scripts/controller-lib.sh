# Shared by the job scripts of Fixtures/Scripts (controller-jobs.sh, ...): submitting, waiting, and printing
# sacct output normalised for what differs between two runs against the same daemon. Sourced after `cd WORKDIR`.
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

agent_queue() { sdiag | awk -F: '/DBD Agent queue size/ { gsub(/ /, "", $2); print $2 }'; }
# Ends come through the agent queue and starts from slurmctld's db-index thread, in either order: done when
# every one of N job records reads back with its partition (from the start) and an end, and nothing is queued.
stored() {  # N [sacct options]
  local count=$1
  shift
  [ -z "$(squeue -h)" ] || return 1
  [ "$(sacct -a -X -n -P -o Partition,End "$@" | grep -c '^debug|[0-9]')" = "$count" ] || return 1
  [ "$(agent_queue)" = 0 ]
}

# Values that differ from run to run are replaced by '*' (an empty value stays empty, so that a value
# missing on one side still shows): times, durations, resource usage measured by the node, the order in
# which the database numbered the rows; the scheduler flag (SchedMain, SchedBackfill, or none when the start
# record left before the scheduler set it) is dropped. A script sets varying_also to a regular expression of
# more column names whose value races between runs.
varying_also=
normalise_all() {
  awk -F'|' -v OFS='|' -v also="$varying_also" '
    NR == 1 {
      for (i = 1; i <= NF; i++) name[i] = $i
      print; next
    }
    {
      for (i = 1; i <= NF; i++) {
        n = name[i]
        if ($i == "" || $i == "Unknown" || $i == "None") continue
        if (n ~ /^(Submit|Eligible|Start|End|Elapsed|ElapsedRaw|CPUTime|CPUTimeRAW|TotalCPU|UserCPU|SystemCPU|Reserved|ResvCPU|ResvCPURAW|DBIndex)$/ ||
            n ~ /^(Ave|Max|Min)(CPU|CPUFreq|RSS|VMSize|Pages|DiskRead|DiskWrite)$/ || n == "ConsumedEnergy" || n == "ConsumedEnergyRaw" ||
            (also != "" && n ~ ("^(" also ")$")))
          $i = "*"
        else if (n ~ /^TRESUsage(In|Out)/)
          gsub(/=[^,]*/, "=*", $i)
        else if (n == "Flags")
          gsub(/Sched(Main|Backfill|Submit),?/, "", $i)
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

