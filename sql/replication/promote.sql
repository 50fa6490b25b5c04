-- On the replica (as root), when its primary is gone for good: make it the primary. First check that it
-- applied everything it received (SHOW SLAVE STATUS: Slave_SQL_Running_State "Slave has read all relay
-- log"). slurmdbd-net notices within seconds that read_only is off and writes to it.
STOP SLAVE;
RESET SLAVE ALL;
SET GLOBAL read_only = 0;
