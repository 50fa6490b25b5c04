#!/usr/bin/env bash
# Requeued jobs on a fresh one-node cluster (SLURM_CONF names its slurm.conf; its job ids start at 1), then
# what sacct reads back, normalised as controller-jobs.sh does (controller-lib.sh).
# Usage: requeued-jobs.sh WORKDIR (the jobs' working directory).
set -euo pipefail
cd "$1"
. "$(dirname "$0")/controller-lib.sh"
# A job requeued while it runs: its first run is stored as REQUEUED, and the requeue holds it back for the
# credential lifetime (1201 s) unless its begin time is set to now again. exec as in controller-jobs.sh.
requeued_job=$(submit --requeue --wrap 'exec sleep 5')
until_true 30 "job $requeued_job running" running "$requeued_job"
scontrol requeue "$requeued_job"
until_true 30 "job $requeued_job pending" eval '[ "$(state "$requeued_job")" = PENDING ]'
scontrol update "JobId=$requeued_job" StartTime=now
# And one requeued with a hold, then released.
held_job=$(submit --requeue --wrap 'exec sleep 5')
until_true 30 "job $held_job running" running "$held_job"
scontrol requeuehold "$held_job"
until_true 30 "job $held_job pending" eval '[ "$(state "$held_job")" = PENDING ]'
scontrol release "$held_job"
scontrol update "JobId=$held_job" StartTime=now
jobs=4  # both runs of each requeued job
# Which of a requeued job's updates its first record caught races with the requeue: the time limit
# (Partition_Limit or UNLIMITED) and, for the held job, the priority (0 while held).
varying_also='Priority|Timelimit|TimelimitRaw'

until_true 90 "all $jobs job records stored" stored "$jobs" -D

run sacct -a
run sacct -a -X
run sacct -a -D
run sacct -a -D -X -o JobID,JobIDRaw,JobName,State,ExitCode,AllocCPUS,NodeList
run_all sacct -a -D --parsable2 -o ALL
run sacct -j "$requeued_job" -D
run sacct -j "$held_job" -D -o JobID,State,ExitCode,Reason
run sacct -a -s RQ -S 00:00
run sacct --federation -D
