-- The grants slurmdbd-net's database user needs (StorageUser/StoragePass/StorageLoc in slurmdbd.conf).
-- It creates the database if it is missing and runs the schema migrations itself, so it needs DDL rights
-- on that one database; nothing outside it. Replace the host and password before use.
CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY 'change-me';
GRANT ALL PRIVILEGES ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';
