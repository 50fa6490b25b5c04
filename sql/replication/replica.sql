-- On the replica (as root): replicate the primary {{PRIMARY_HOST}}:{{PRIMARY_PORT}} by GTID, reconnecting
-- every 5 s (not the default 60) when the primary restarts.
-- A replica of a primary that already holds data starts from a copy taken with
--   mariadb-dump --single-transaction --gtid --master-data=1 --databases slurm_acct_db
-- loaded before this script (the dump sets gtid_slave_pos); a replica of a new primary starts empty.
SET GLOBAL read_only = 1;
STOP SLAVE;
CHANGE MASTER TO
  MASTER_HOST = '{{PRIMARY_HOST}}',
  MASTER_PORT = {{PRIMARY_PORT}},
  MASTER_USER = 'repl',
  MASTER_PASSWORD = '{{REPLICATION_PASSWORD}}',
  MASTER_CONNECT_RETRY = 5,
  MASTER_USE_GTID = slave_pos;
START SLAVE;
