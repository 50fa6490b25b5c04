-- On an old primary that came back (as root): make it a replica of the new primary
-- {{PRIMARY_HOST}}:{{PRIMARY_PORT}} (the promoted replica). Run it before anything writes to the old
-- primary; slurmdbd-net never does on its own (README, Failover). It continues from its own last
-- transaction: if it had transactions the new primary never received, gtid_strict_mode stops replication
-- with an error and the server must be rebuilt from a dump of the new primary instead.
SET GLOBAL read_only = 1;
STOP SLAVE;
SET GLOBAL gtid_slave_pos = @@global.gtid_binlog_pos;
CHANGE MASTER TO
  MASTER_HOST = '{{PRIMARY_HOST}}',
  MASTER_PORT = {{PRIMARY_PORT}},
  MASTER_USER = 'repl',
  MASTER_PASSWORD = '{{REPLICATION_PASSWORD}}',
  MASTER_CONNECT_RETRY = 5,
  MASTER_USE_GTID = slave_pos;
START SLAVE;
