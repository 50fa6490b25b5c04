#!/usr/bin/env bash
# Records what the real slurmdbd 22.05.8 stores for a job script run by a real slurmctld and slurmd, in the
# format of tests/Accounting.Tests/Fixtures/RealOutput. Starts a private stack of its own under RUN_DIR
# (munged, MariaDB with a new database, slurmdbd, slurmctld, slurmd on 127.0.0.1, configured as the
# anchor's real-slurm-up.sh and the tests' RealSlurmCluster), runs the script and stops exactly what it
# started, by PID:
#   scripts/record-real-controller.sh tests/Accounting.Tests/Fixtures/Scripts/controller-jobs.sh > OUT
# PORT_BASE (default 21500) and the next three ports: MariaDB, slurmdbd, slurmctld, slurmd. Lines of the job
# script "# slurm.conf: KEY=VALUE" and "# slurmdbd.conf: KEY=VALUE" are added to those files.
set -euo pipefail
script=$(realpath "$1")
base=${PORT_BASE:-21500}
db_port=$base dbd_port=$((base + 1)) ctld_port=$((base + 2)) slurmd_port=$((base + 3))
R=${RUN_DIR:-$(mktemp -d /tmp/record-real-controller.XXXXXX)}
mkdir -p "$R"/{etc,munge,mysql/data,mysql/tmp,log,state,spool,jobs}
chmod 755 "$R" "$R/munge"
pids=()
stop() {
  local pid
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    pid=${pids[i]}
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
  done
}
trap stop EXIT
wait_port() {
  for _ in $(seq 1 240); do ss -ltn "sport = :$1" | grep -q LISTEN && return 0; sleep 0.25; done
  echo "port $1 never opened" >&2
  exit 1
}

sock=$R/munge/munge.socket.2
dd if=/dev/urandom of="$R/munge/munge.key" bs=1 count=1024 status=none
chmod 400 "$R/munge/munge.key"
munged --foreground --force --socket="$sock" --key-file="$R/munge/munge.key" --log-file="$R/log/munged.log" \
  --pid-file="$R/munge/munged.pid" --seed-file="$R/munge/munged.seed" &
pids+=($!)
for _ in $(seq 1 40); do [ -S "$sock" ] && break; sleep 0.25; done

mariadb-install-db --no-defaults --datadir="$R/mysql/data" --user=root --auth-root-authentication-method=socket \
  --skip-test-db > "$R/log/mariadb-install.log" 2>&1
mariadbd --no-defaults --datadir="$R/mysql/data" --socket="$R/mysql/mysqld.sock" --port="$db_port" \
  --bind-address=127.0.0.1 --user=root --skip-name-resolve --tmpdir="$R/mysql/tmp" --skip-log-bin \
  --innodb-buffer-pool-size=256M --innodb-lock-wait-timeout=900 --log-error="$R/log/mysqld.err" &
pids+=($!)
for _ in $(seq 1 120); do mariadb-admin --socket="$R/mysql/mysqld.sock" ping >/dev/null 2>&1 && break; sleep 0.5; done
mariadb --socket="$R/mysql/mysqld.sock" -u root <<EOF
CREATE USER 'slurm'@'127.0.0.1' IDENTIFIED BY 'slurmpass';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';
EOF

cat > "$R/etc/slurmdbd.conf" <<EOF
AuthType=auth/munge
AuthInfo=socket=$sock
DbdHost=localhost
DbdPort=$dbd_port
SlurmUser=root
DebugLevel=info
LogFile=$R/log/slurmdbd.log
PidFile=$R/slurmdbd.pid
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$db_port
StorageUser=slurm
StoragePass=slurmpass
StorageLoc=slurm_acct_db
$(sed -n 's/^# slurmdbd.conf: //p' "$script")
EOF
chmod 600 "$R/etc/slurmdbd.conf"
: > "$R/etc/plugstack.conf"
cat > "$R/etc/slurm.conf" <<EOF
ClusterName=alpha
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$sock
AccountingStoragePass=$sock
CredType=cred/munge
CommunicationParameters=NoInAddrAny
StateSaveLocation=$R/state
SlurmdSpoolDir=$R/spool
SlurmctldPidFile=$R/slurmctld.pid
SlurmdPidFile=$R/slurmd.pid
SlurmctldLogFile=$R/log/slurmctld.log
SlurmdLogFile=$R/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=30
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=127.0.0.1
AccountingStoragePort=$dbd_port
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
PropagateResourceLimits=NONE
MailProg=/bin/true
PlugStackConfig=$R/etc/plugstack.conf
NodeName=localhost NodeAddr=127.0.0.1 NodeHostname=localhost CPUs=2 Sockets=1 CoresPerSocket=2 ThreadsPerCore=1 RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
$(sed -n 's/^# slurm.conf: //p' "$script")
EOF
export SLURM_CONF=$R/etc/slurm.conf

slurmdbd -D > "$R/log/slurmdbd.out" 2>&1 &
pids+=($!)
wait_port "$dbd_port"
slurmctld -D > "$R/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -N localhost > "$R/log/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do [ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && break; sleep 0.25; done

# A minimal environment, as the tests run the script: sbatch sends its whole environment along.
env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 TZ="${TZ:-}" SLURM_CONF="$SLURM_CONF" HOME="$R/jobs" \
  bash "$script" "$R/jobs"
