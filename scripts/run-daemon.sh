#!/usr/bin/env bash
# Runs slurmdbd-net in the foreground.
#   scripts/run-daemon.sh /etc/slurm/slurmdbd.conf   with an existing configuration
#   scripts/run-daemon.sh                            with none: installs mariadb-server and munge if
#     missing, starts a private MariaDB and munged under $STATE_DIR (default ./state), migrates, and
#     serves on 127.0.0.1:${DBD_PORT:-6819}.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
require_dotnet

if [ $# -ge 1 ]; then
  exec dotnet run --project src/Dbd -c Release -- -D -f "$1"
fi

require_packages mariadb-server mariadb-client munge libmunge2

STATE_DIR=$(realpath -m "${STATE_DIR:-state}")
DB_PORT=${DB_PORT:-3316}
DBD_PORT=${DBD_PORT:-6819}
mkdir -p "$STATE_DIR"/{mysql/data,mysql/run,munge,log,run}
chmod 755 "$STATE_DIR" "$STATE_DIR/munge"

alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

MUNGE_SOCKET=$STATE_DIR/munge/munge.socket.2
if ! alive "$STATE_DIR/munge/munged.pid"; then
  [ -s "$STATE_DIR/munge/munge.key" ] || { dd if=/dev/urandom of="$STATE_DIR/munge/munge.key" bs=1 count=1024 status=none; chmod 400 "$STATE_DIR/munge/munge.key"; }
  rm -f "$MUNGE_SOCKET"
  munged --force --socket="$MUNGE_SOCKET" --key-file="$STATE_DIR/munge/munge.key" \
    --pid-file="$STATE_DIR/munge/munged.pid" --log-file="$STATE_DIR/log/munged.log" --seed-file="$STATE_DIR/munge/munged.seed"
  for _ in $(seq 40); do [ -S "$MUNGE_SOCKET" ] && break; sleep 0.25; done
fi

MYSQL_SOCKET=$STATE_DIR/mysql/run/mysqld.sock
if ! alive "$STATE_DIR/mysql/run/mysqld.pid"; then
  if [ ! -d "$STATE_DIR/mysql/data/mysql" ]; then
    mariadb-install-db --no-defaults --datadir="$STATE_DIR/mysql/data" --user=root \
      --auth-root-authentication-method=socket --skip-test-db > "$STATE_DIR/log/mariadb-install.log" 2>&1
  fi
  setsid nohup mariadbd --no-defaults --datadir="$STATE_DIR/mysql/data" --socket="$MYSQL_SOCKET" \
    --pid-file="$STATE_DIR/mysql/run/mysqld.pid" --port="$DB_PORT" --bind-address=127.0.0.1 --user=root \
    --skip-name-resolve --log-error="$STATE_DIR/log/mariadb.err" > /dev/null 2>&1 < /dev/null &
  for _ in $(seq 120); do mariadb-admin --no-defaults --socket="$MYSQL_SOCKET" -u root ping >/dev/null 2>&1 && break; sleep 0.5; done
fi

[ -s "$STATE_DIR/db.password" ] || { head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$STATE_DIR/db.password"; chmod 600 "$STATE_DIR/db.password"; }
DB_PASS=$(cat "$STATE_DIR/db.password")
mariadb --no-defaults --socket="$MYSQL_SOCKET" -u root <<SQL
CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY '$DB_PASS';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';
SQL

CONF=$STATE_DIR/slurmdbd.conf
cat > "$CONF" <<CONF
AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCKET
DbdHost=localhost
DbdAddr=127.0.0.1
DbdPort=$DBD_PORT
SlurmUser=root
DebugLevel=info
PidFile=$STATE_DIR/run/slurmdbd.pid
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$DB_PORT
StorageUser=slurm
StoragePass=$DB_PASS
StorageLoc=slurm_acct_db
CONF
chmod 600 "$CONF"

cat >&2 <<EOT
slurmdbd-net: MariaDB on 127.0.0.1:$DB_PORT, munged on $MUNGE_SOCKET, state in $STATE_DIR.
Point sacctmgr/sacct/slurmctld at it with these slurm.conf lines:
  AccountingStorageType=accounting_storage/slurmdbd
  AccountingStorageHost=127.0.0.1
  AccountingStoragePort=$DBD_PORT
  AuthType=auth/munge
  AuthInfo=socket=$MUNGE_SOCKET
  AccountingStoragePass=$MUNGE_SOCKET
EOT
exec dotnet run --project src/Dbd -c Release -- -D -f "$CONF"
