-- 0004_spool.sql : db_index blocks reserved for the spool.
--
-- While no database is writable, job starts are spooled and must still be
-- answered DBD_ID_RC with a db_index the job will have once the spool is
-- replayed. So while the database is up the daemon reserves a block of
-- job_db_inx values: it raises the AUTO_INCREMENT of job past the block (no insert
-- ever takes them) and records the block here, so that a later reservation
-- never hands out the same values again, and a daemon can tell that the block
-- it keeps in its spool directory belongs to this database.
CREATE TABLE job_db_index_block (
  first_index       BIGINT UNSIGNED   NOT NULL,
  last_index        BIGINT UNSIGNED   NOT NULL,
  time_reserved     BIGINT UNSIGNED   NOT NULL,
  PRIMARY KEY (first_index)
) ENGINE=InnoDB;
