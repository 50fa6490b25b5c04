-- 0002_jobs.sql : jobs, steps, suspend intervals, job environment and batch
-- script stores, reservations and node/cluster events.
--
-- Conventions (names, hashes, times, NO_VAL, cluster_id, file format) are
-- described at the top of 0001_entities.sql. In short: one table for all
-- clusters with a cluster_id column, VARCHAR(1024) utf8mb4_bin names, times
-- as BIGINT UNSIGNED epoch seconds, NO_VAL = 4294967294, INFINITE = 4294967295.
--
-- Wire strings are byte strings. Columns here are utf8mb4 text except the
-- environment and batch script stores, which are LONGBLOB so that arbitrary
-- user bytes (non UTF-8 file names, latin1 scripts) round-trip exactly, as they
-- do in the latin1 reference tables.

-- ------------------------------------------------------------------ job
-- One row per job record (records spec 8.2, wire spec 9.5, 9.6 and 10).
-- * job_db_inx is the db_index of the wire. It is a global AUTO_INCREMENT:
--   the protocol only needs it unique and stable, not numbered per cluster.
-- * Identity is (cluster_id, id_job, time_submit): DBD_JOB_START inserts with
--   ON DUPLICATE KEY UPDATE ... job_db_inx = LAST_INSERT_ID(job_db_inx) on this
--   unique key, so the same job instance always gets the same db_index.
--   Requeue gives a new time_submit and therefore a new row.
-- * id_job is the full 32-bit id including the federation bits 26..31.
-- * id_array_task and het_job_offset default to NO_VAL (not an array task /
--   not a het job component), as in the reference.
-- * time_eligible may be INFINITE (4294967295) for array tasks held back by
--   the array throttle, another reason time columns are 64 bit.
-- * state holds the base job state, or JOB_REQUEUE 0x400, JOB_RESIZING 0x2000,
--   JOB_REVOKED 0x80000 (records spec 8.4).
-- * exit_code and derived_ec are POSIX wait statuses. An exit code of exactly 1
--   is stored as 256, as in the reference.
-- * kill_requid NULL = nobody cancelled the job (INFINITE on the wire).
-- * mem_req: MB, bit 63 set = per CPU (MEM_PER_CPU).
-- * derived_es also receives the job comment of DBD_JOB_COMPLETE, as the
--   reference does (22.05 has no separate comment column).
-- * account, partition, wckey, job_name are the strings the controller sent.
--   sacct gets user name and account through id_assoc when the association
--   still exists.
-- * env_hash_inx / script_hash_inx point to job_env / job_script (0 = none).
-- * array_task_str is MEDIUMTEXT: the pending-task hex bitmap of a large
--   array (MaxArraySize up to 4000001) exceeds the 64 KB of TEXT.
CREATE TABLE job (
  job_db_inx         BIGINT UNSIGNED   NOT NULL AUTO_INCREMENT,
  cluster_id         INT UNSIGNED      NOT NULL,
  mod_time           BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  deleted            TINYINT           NOT NULL DEFAULT 0,
  account            VARCHAR(1024)     NULL,
  admin_comment      TEXT              NULL,
  array_task_str     MEDIUMTEXT        NULL,
  array_max_tasks    INT UNSIGNED      NOT NULL DEFAULT 0,
  array_task_pending INT UNSIGNED      NOT NULL DEFAULT 0,
  constraints        TEXT              NULL DEFAULT (''),
  container          TEXT              NULL,
  cpus_req           INT UNSIGNED      NOT NULL DEFAULT 0,
  derived_ec         INT UNSIGNED      NOT NULL DEFAULT 0,
  derived_es         TEXT              NULL,
  env_hash_inx       BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  exit_code          INT UNSIGNED      NOT NULL DEFAULT 0,
  flags              INT UNSIGNED      NOT NULL DEFAULT 0,     -- SLURMDB_JOB_FLAG_* (db_flags of job start)
  job_name           VARCHAR(1024)     NOT NULL DEFAULT '',
  id_assoc           INT UNSIGNED      NOT NULL DEFAULT 0,     -- assoc (cluster_id, id_assoc)
  id_array_job       INT UNSIGNED      NOT NULL DEFAULT 0,
  id_array_task      INT UNSIGNED      NOT NULL DEFAULT 4294967294,
  id_block           VARCHAR(1024)     NULL,                   -- legacy blockid, normally NULL
  id_job             INT UNSIGNED      NOT NULL,
  id_qos             INT UNSIGNED      NOT NULL DEFAULT 0,
  id_resv            INT UNSIGNED      NOT NULL DEFAULT 0,
  id_wckey           INT UNSIGNED      NOT NULL DEFAULT 0,     -- wckey (cluster_id, id_wckey)
  id_user            INT UNSIGNED      NOT NULL,
  id_group           INT UNSIGNED      NOT NULL,
  het_job_id         INT UNSIGNED      NOT NULL DEFAULT 0,
  het_job_offset     INT UNSIGNED      NOT NULL DEFAULT 4294967294,
  kill_requid        INT UNSIGNED      NULL,
  state_reason_prev  INT UNSIGNED      NOT NULL DEFAULT 0,
  mcs_label          VARCHAR(1024)     NULL DEFAULT '',
  mem_req            BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  nodelist           TEXT              NULL,
  nodes_alloc        INT UNSIGNED      NOT NULL DEFAULT 0,
  node_inx           TEXT              NULL,
  `partition`        VARCHAR(1024)     NOT NULL DEFAULT '',
  priority           INT UNSIGNED      NOT NULL DEFAULT 0,
  script_hash_inx    BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  state              INT UNSIGNED      NOT NULL DEFAULT 0,
  timelimit          INT UNSIGNED      NOT NULL DEFAULT 0,     -- minutes, INFINITE = unlimited, NO_VAL = unset
  time_submit        BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  time_eligible      BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  time_start         BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  time_end           BIGINT UNSIGNED   NOT NULL DEFAULT 0,     -- 0 = not ended (pending or running)
  -- time_suspended: total suspended seconds. While the job is suspended it
  -- holds suspend start minus the previous total (the reference toggles it
  -- with time_suspended = event_time - time_suspended, wire spec 10.2).
  time_suspended     BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  gres_used          TEXT              NOT NULL DEFAULT (''),
  wckey              VARCHAR(1024)     NOT NULL DEFAULT '',
  work_dir           TEXT              NOT NULL DEFAULT (''),
  submit_line        TEXT              NULL,
  system_comment     TEXT              NULL,
  tres_alloc         TEXT              NOT NULL DEFAULT (''),
  tres_req           TEXT              NOT NULL DEFAULT (''),
  PRIMARY KEY (job_db_inx),
  UNIQUE KEY id_job (cluster_id, id_job, time_submit),
  -- Time windows used by sacct (records spec 8.6), rollups and purges.
  -- The default sacct window is time_eligible before end and time_end after
  -- start or 0, hence eligible+end and end+eligible pairs as in the reference.
  KEY submit (cluster_id, time_submit, time_end),
  KEY start (cluster_id, time_start, time_end),
  KEY rollup (cluster_id, time_eligible, time_end),
  KEY rollup2 (cluster_id, time_end, time_eligible),
  -- Filters of job-cond. Names use 191-character prefixes (764 bytes).
  KEY sacct_user (cluster_id, id_user, time_eligible, time_end),
  KEY account (cluster_id, account(191)),
  KEY by_state (cluster_id, state, time_end),
  KEY association (cluster_id, id_assoc, time_end),
  KEY array_job (cluster_id, id_array_job, id_array_task),
  KEY het_job (cluster_id, het_job_id, het_job_offset),
  KEY by_partition (cluster_id, `partition`(191)),
  KEY wckey (cluster_id, id_wckey),
  KEY reserv (cluster_id, id_resv),
  -- QOS is global: removing a QOS checks jobs of all clusters.
  KEY qos (id_qos),
  -- Purging unreferenced env/script rows.
  KEY env_hash_inx (env_hash_inx),
  KEY script_hash_inx (script_hash_inx)
  -- No index on nodelist: the used_nodes filter (sacct -N) is evaluated, as in
  -- the reference, by intersecting node_inx with the node list of the cluster
  -- registration events, which an index cannot do.
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC;

-- ------------------------------------------------------------------ step
-- Job steps (records spec 8.3, wire spec 9.8). Keyed by the global
-- job_db_inx, so cluster_id is not needed for uniqueness. It is kept so that
-- per-cluster purges and cluster removal do not need a join.
-- * id_step is SIGNED, as in the reference: the wire u32 special step ids are
--   stored reinterpreted as int32, so batch (0xFFFFFFFB) is -5, extern
--   (0xFFFFFFFC) -4, pending (0xFFFFFFFD) -3, interactive (0xFFFFFFFA) -6.
--   Administrators and the reference ordering (batch and extern sort before
--   step 0) expect these negative values.
-- * step_het_comp defaults to NO_VAL (not a het job step).
-- * exit_code is signed: the wire field is an int32 wait status.
-- * state is u16 on the wire (job state values truncated to 16 bits).
-- * req_cpufreq is the maximum (req_cpufreq_max on the wire).
-- * kill_requid NULL = none (INFINITE on the wire).
-- * tres_usage_* are simple TRES strings built from the jobacct arrays.
CREATE TABLE step (
  job_db_inx                BIGINT UNSIGNED   NOT NULL,
  cluster_id                INT UNSIGNED      NOT NULL,
  deleted                   TINYINT           NOT NULL DEFAULT 0,
  exit_code                 INT               NOT NULL DEFAULT 0,
  id_step                   INT               NOT NULL,
  step_het_comp             INT UNSIGNED      NOT NULL DEFAULT 4294967294,
  kill_requid               INT UNSIGNED      NULL,
  nodelist                  TEXT              NOT NULL DEFAULT (''),
  nodes_alloc               INT UNSIGNED      NOT NULL DEFAULT 0,
  node_inx                  TEXT              NULL,
  state                     SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  step_name                 TEXT              NOT NULL DEFAULT (''),
  task_cnt                  INT UNSIGNED      NOT NULL DEFAULT 0,
  task_dist                 INT UNSIGNED      NOT NULL DEFAULT 0,
  time_start                BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  time_end                  BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  time_suspended            BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  user_sec                  BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  user_usec                 INT UNSIGNED      NOT NULL DEFAULT 0,
  sys_sec                   BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  sys_usec                  INT UNSIGNED      NOT NULL DEFAULT 0,
  act_cpufreq               DOUBLE            NOT NULL DEFAULT 0,
  consumed_energy           BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  container                 TEXT              NULL,
  req_cpufreq_min           INT UNSIGNED      NOT NULL DEFAULT 0,
  req_cpufreq               INT UNSIGNED      NOT NULL DEFAULT 0,
  req_cpufreq_gov           INT UNSIGNED      NOT NULL DEFAULT 0,
  submit_line               TEXT              NULL,
  tres_alloc                TEXT              NOT NULL DEFAULT (''),
  tres_usage_in_ave         TEXT              NOT NULL DEFAULT (''),
  tres_usage_in_max         TEXT              NOT NULL DEFAULT (''),
  tres_usage_in_max_taskid  TEXT              NOT NULL DEFAULT (''),
  tres_usage_in_max_nodeid  TEXT              NOT NULL DEFAULT (''),
  tres_usage_in_min         TEXT              NOT NULL DEFAULT (''),
  tres_usage_in_min_taskid  TEXT              NOT NULL DEFAULT (''),
  tres_usage_in_min_nodeid  TEXT              NOT NULL DEFAULT (''),
  tres_usage_in_tot         TEXT              NOT NULL DEFAULT (''),
  tres_usage_out_ave        TEXT              NOT NULL DEFAULT (''),
  tres_usage_out_max        TEXT              NOT NULL DEFAULT (''),
  tres_usage_out_max_taskid TEXT              NOT NULL DEFAULT (''),
  tres_usage_out_max_nodeid TEXT              NOT NULL DEFAULT (''),
  tres_usage_out_min        TEXT              NOT NULL DEFAULT (''),
  tres_usage_out_min_taskid TEXT              NOT NULL DEFAULT (''),
  tres_usage_out_min_nodeid TEXT              NOT NULL DEFAULT (''),
  tres_usage_out_tot        TEXT              NOT NULL DEFAULT (''),
  PRIMARY KEY (job_db_inx, id_step, step_het_comp),
  KEY time_start_end (cluster_id, time_start, time_end)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC;

-- ------------------------------------------------------------------ suspend
-- Suspend intervals of a job (DBD_JOB_SUSPEND, wire spec 9.7). time_end 0 =
-- still suspended. Used by the hourly rollup (suspended CPU seconds are
-- subtracted) and by the SUSPENDED state filter of sacct.
CREATE TABLE suspend (
  job_db_inx        BIGINT UNSIGNED   NOT NULL,
  cluster_id        INT UNSIGNED      NOT NULL,
  id_assoc          INT UNSIGNED      NOT NULL,
  time_start        BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  time_end          BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  PRIMARY KEY (job_db_inx, time_start),
  KEY time_start_end (cluster_id, time_start, time_end)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC;

-- ------------------------------------------------------------------ job_env
-- Job environments, deduplicated by hash (wire spec 9.5.1 env_hash, 9.5.3
-- DBD_JOB_HEAVY). env_hash is the controller string hashtype:hex, e.g. 2:
-- followed by 64 hex digits, so ASCII is enough and a plain unique key fits.
-- env_vars stays NULL until DBD_JOB_HEAVY delivers it. last_used is epoch
-- seconds (the reference uses a TIMESTAMP) and drives purging.
-- hash_inx is a global AUTO_INCREMENT, referenced by job.env_hash_inx.
CREATE TABLE job_env (
  hash_inx          BIGINT UNSIGNED   NOT NULL AUTO_INCREMENT,
  cluster_id        INT UNSIGNED      NOT NULL,
  last_used         BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  env_hash          VARCHAR(255)      CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  env_vars          LONGBLOB          NULL,
  PRIMARY KEY (hash_inx),
  UNIQUE KEY env_hash_inx (cluster_id, env_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC;

-- ------------------------------------------------------------------ job_script
-- Batch scripts, same scheme as job_env.
CREATE TABLE job_script (
  hash_inx          BIGINT UNSIGNED   NOT NULL AUTO_INCREMENT,
  cluster_id        INT UNSIGNED      NOT NULL,
  last_used         BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  script_hash       VARCHAR(255)      CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  batch_script      LONGBLOB          NULL,
  PRIMARY KEY (hash_inx),
  UNIQUE KEY script_hash_inx (cluster_id, script_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC;

-- ------------------------------------------------------------------ resv
-- Reservations (records spec 11.4, wire spec 9.11). id_resv comes from the
-- controller. Identity is (cluster_id, id_resv, time_start) as in the
-- reference, so one reservation can have several rows over time, and
-- time_start_prev of DBD_MODIFY_RESV locates the row to change. assoclist is the
-- comma list of association ids allowed in the reservation. unused_wall is
-- the reserved-but-unused time credited by the rollup.
CREATE TABLE resv (
  cluster_id        INT UNSIGNED      NOT NULL,
  id_resv           INT UNSIGNED      NOT NULL DEFAULT 0,
  deleted           TINYINT           NOT NULL DEFAULT 0,
  assoclist         TEXT              NOT NULL DEFAULT (''),
  flags             BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  nodelist          TEXT              NOT NULL DEFAULT (''),
  node_inx          TEXT              NOT NULL DEFAULT (''),
  resv_name         VARCHAR(1024)     NOT NULL,
  time_start        BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  time_end          BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  tres              TEXT              NOT NULL DEFAULT (''),
  unused_wall       DOUBLE            NOT NULL DEFAULT 0,
  PRIMARY KEY (cluster_id, id_resv, time_start),
  KEY time_start_end (cluster_id, time_start, time_end),
  KEY by_name (cluster_id, resv_name(191))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC;

-- ------------------------------------------------------------------ event
-- Cluster and node events (records spec 11.1 and 11.2, wire spec 9.3, 9.4).
-- * Cluster events (DBD_CLUSTER_TRES) have node_name = empty string and carry
--   cluster_nodes and the cluster TRES totals in tres. The open one (time_end 0)
--   gives cluster-rec nodes and tres_str and starts the rollup.
-- * Node events (DBD_NODE_STATE down) have node_name set, reason, reason_uid
--   (NO_VAL default = unknown), state (node state bits) and the node TRES.
--   Node up closes the open event by setting time_end.
-- * event_type of event-rec is derived: node_name empty = cluster event.
-- * Identity is (cluster_id, node_name, time_start) as in the reference. The
--   node name is hashed like every other key name, and since MariaDB cannot
--   put a generated column into a PRIMARY KEY, id is a surrogate key.
-- * open_events serves the lookup of open events of one node or of a whole
--   cluster (time_end = 0), time_start_end the rollup window scans.
CREATE TABLE event (
  id                BIGINT UNSIGNED   NOT NULL AUTO_INCREMENT,  -- surrogate, not on the wire
  cluster_id        INT UNSIGNED      NOT NULL,
  time_start        BIGINT UNSIGNED   NOT NULL,
  time_end          BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  node_name         VARCHAR(1024)     NOT NULL DEFAULT '',
  node_name_hash    BINARY(32)        GENERATED ALWAYS AS (UNHEX(SHA2(RTRIM(node_name), 256))) STORED,
  cluster_nodes     TEXT              NOT NULL DEFAULT (''),
  reason            TEXT              NOT NULL DEFAULT (''),
  reason_uid        INT UNSIGNED      NOT NULL DEFAULT 4294967294,
  state             INT UNSIGNED      NOT NULL DEFAULT 0,
  tres              TEXT              NOT NULL DEFAULT (''),
  PRIMARY KEY (id),
  UNIQUE KEY node_start (cluster_id, node_name_hash, time_start),
  KEY open_events (cluster_id, time_end, node_name_hash),
  KEY time_start_end (cluster_id, time_start, time_end)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC;
