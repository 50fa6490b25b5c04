-- 0003_usage.sql : rolled-up usage (records spec 10) and the per-cluster
-- rollup marks.
--
-- Conventions as in 0001_entities.sql. All usage values are seconds
-- (TRES-seconds) as BIGINT UNSIGNED, time_start is the epoch second at which
-- the hour, day (local midnight) or month (local 1st, 00:00) begins.
--
-- Rows are written by the rollup as upserts keyed by (cluster, object, TRES,
-- period), records spec 10.3. deleted = 1 marks usage of removed clusters and
-- associations (records spec 9.4), which GETs skip unless with_deleted.
--
-- The day and month tables are created with CREATE TABLE ... LIKE so that
-- the three granularities are guaranteed to have identical structure.

-- ------------------------------------------------------------------ cluster usage
-- Cluster totals per TRES and period (cluster-accounting-rec, records spec
-- 2.3 and 10.2). count = TRES count of the cluster in that period (MAX over
-- the period for day and month rows). plan_secs is the reserved time of
-- sreport. The node TRES (id 4) never appears in cluster rows.
-- Primary key puts time_start before id_tres: reads are always one cluster
-- and a time window (all TRES), and the same key serves the upsert.
CREATE TABLE cluster_usage_hour (
  cluster_id        INT UNSIGNED      NOT NULL,
  time_start        BIGINT UNSIGNED   NOT NULL,
  id_tres           INT UNSIGNED      NOT NULL,
  creation_time     BIGINT UNSIGNED   NOT NULL,
  mod_time          BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  deleted           TINYINT           NOT NULL DEFAULT 0,
  `count`           BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  alloc_secs        BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  down_secs         BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  pdown_secs        BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  idle_secs         BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  plan_secs         BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  over_secs         BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  PRIMARY KEY (cluster_id, time_start, id_tres)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC;

CREATE TABLE cluster_usage_day LIKE cluster_usage_hour;

CREATE TABLE cluster_usage_month LIKE cluster_usage_hour;

-- ------------------------------------------------------------------ association usage
-- Allocated TRES-seconds per association, TRES and period (accounting-rec,
-- records spec 2.2). id_assoc (called id in the reference, whose tables are
-- per cluster) together with cluster_id identifies the association.
-- Primary key (cluster_id, id_assoc, time_start, id_tres) serves the usage
-- GET of a set of associations over a window and the upsert. The time_start
-- key serves the day and month rollups, which sum every association of a
-- cluster over one period, and purges.
CREATE TABLE assoc_usage_hour (
  cluster_id        INT UNSIGNED      NOT NULL,
  id_assoc          INT UNSIGNED      NOT NULL,
  time_start        BIGINT UNSIGNED   NOT NULL,
  id_tres           INT UNSIGNED      NOT NULL DEFAULT 1,
  creation_time     BIGINT UNSIGNED   NOT NULL,
  mod_time          BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  deleted           TINYINT           NOT NULL DEFAULT 0,
  alloc_secs        BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  PRIMARY KEY (cluster_id, id_assoc, time_start, id_tres),
  KEY time_start (cluster_id, time_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC;

CREATE TABLE assoc_usage_day LIKE assoc_usage_hour;

CREATE TABLE assoc_usage_month LIKE assoc_usage_hour;

-- ------------------------------------------------------------------ wckey usage
-- Same as association usage, per wckey (cluster_id, id_wckey). Only written
-- when slurm.conf TrackWCKey=yes.
CREATE TABLE wckey_usage_hour (
  cluster_id        INT UNSIGNED      NOT NULL,
  id_wckey          INT UNSIGNED      NOT NULL,
  time_start        BIGINT UNSIGNED   NOT NULL,
  id_tres           INT UNSIGNED      NOT NULL DEFAULT 1,
  creation_time     BIGINT UNSIGNED   NOT NULL,
  mod_time          BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  deleted           TINYINT           NOT NULL DEFAULT 0,
  alloc_secs        BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  PRIMARY KEY (cluster_id, id_wckey, time_start, id_tres),
  KEY time_start (cluster_id, time_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC;

CREATE TABLE wckey_usage_day LIKE wckey_usage_hour;

CREATE TABLE wckey_usage_month LIKE wckey_usage_hour;

-- ------------------------------------------------------------------ last_ran
-- Rollup marks per cluster (records spec 10.1): the start of the next hour,
-- day and month still to be rolled up. No row = never rolled up, the daemon
-- initialises the marks from the first cluster registration event. Late data
-- (records older than a mark) rewinds the marks so the periods are recomputed.
-- The reference keeps one row in a per-cluster table, here it is one row per
-- cluster_id.
CREATE TABLE last_ran (
  cluster_id        INT UNSIGNED      NOT NULL,
  hourly_rollup     BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  daily_rollup      BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  monthly_rollup    BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  PRIMARY KEY (cluster_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC;
