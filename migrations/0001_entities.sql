-- 0001_entities.sql : accounting entities (clusters, federations, TRES, QOS,
-- accounts, users, coordinators, associations, wckeys, resources, txn log).
--
-- Derived from the real slurmdbd 22.05.8 schema (shared/anchor/schema-22.05.sql)
-- and the wire specs (shared/spec/slurmdbd-records-22.05.md, -wire-22.05.md).
-- Column names follow the reference schema so that slurmdbd administrators
-- recognise them (id_assoc, lft, rgt, parent_acct, time_submit, ...).
--
-- FILE FORMAT (for the migration runner): plain statements, each ending with a
-- semicolon at the end of a line. Comments never contain semicolons or quote
-- characters, so even a naive splitter works. The runner owns the version table.
--
-- ONE TABLE PER KIND, NOT PER CLUSTER
--   The reference creates tables per cluster at run time (alpha_assoc_table,
--   alpha_job_table, ...). Numbered migrations cannot do that, so every
--   per-cluster table is a single table with a cluster_id column. cluster_id is
--   cluster.id. There are no FOREIGN KEY constraints (the reference has none
--   either): the application removes per-cluster rows itself when a cluster is
--   removed, exactly where the reference drops the per-cluster tables.
--
-- NAMES AND UNIQUENESS (applies to every table in 0001..0003)
--   * Every name-like column (tinytext in the reference) is VARCHAR(1024) in
--     utf8mb4, so 1,000-character Unicode names fit. Free text (descriptions,
--     TRES strings, node lists) is TEXT as in the reference.
--   * Tables use COLLATE utf8mb4_bin: names compare by exact code points. The
--     reference compares case-insensitively only as a side effect of latin1
--     collation. The clients already lower-case account, cluster, partition,
--     QOS, wckey and federation names (and user names unless PreserveCaseUser)
--     before sending them (records spec 0.4), and the server itself does no case
--     folding. The case-insensitive utf8mb4 collations of MariaDB 10.11 are also
--     accent-insensitive, and utf8mb4_general_ci treats all characters outside
--     the BMP (emoji, many CJK) as equal, which would merge distinct names.
--   * InnoDB keys are limited to 3072 bytes = 768 utf8mb4 characters, so a
--     1024-character column cannot be a unique key, and a prefix unique key would
--     reject distinct names sharing a prefix (the reference has this defect with
--     its name(42) keys). Therefore every name that takes part in a primary or
--     unique key has a companion column
--         <col>_hash BINARY(32) GENERATED ALWAYS AS
--                    (UNHEX(SHA2(RTRIM(<col>), 256))) STORED
--     and the unique key is built on the hash columns. SHA-256 collisions are
--     not a practical concern.
--   * RTRIM: utf8mb4_bin is a PAD SPACE collation, so WHERE name = X ignores
--     trailing spaces (the reference latin1 collation does the same). Hashing
--     RTRIM(name) makes the unique key treat exactly the same strings as equal
--     as the = operator does, so a lookup can never find two rows.
--   * Lookups: WHERE <col>_hash = UNHEX(SHA2(RTRIM(?), 256)) is index backed,
--     WHERE <col> = ? returns the same rows without using the hash index. The
--     connection character set must be utf8mb4 so the server hashes UTF-8 bytes.
--   * Generated columns must not be named in INSERT or UPDATE column lists.
--     They follow <col> automatically, which also makes renames (user rename)
--     a plain UPDATE of <col>.
--   * MariaDB refuses a PRIMARY KEY on a generated column, so name-keyed tables
--     have a surrogate id PRIMARY KEY and a UNIQUE KEY on the hash.
--
-- TYPES AND MAGIC VALUES
--   * Times are BIGINT UNSIGNED seconds since the epoch, as in the reference:
--     Slurm time_t is 64 bit, the wire carries 64-bit times, and INT would end
--     in 2038 (signed) or 2106 (unsigned). 0 means unset (e.g. time_end 0 = still
--     open / running).
--   * NO_VAL = 4294967294 (0xFFFFFFFE) means not set, INFINITE = 4294967295
--     (0xFFFFFFFF) means unlimited. Where the reference defaults a column to
--     NO_VAL we do the same.
--   * Limits (max_*, grp_*, priority, def_qos_id, grace_time, ...) are NULL when
--     not set. NULL is sent as INFINITE in GET replies (or inherited from the
--     parent association). Limit columns are INT UNSIGNED because the wire
--     carries u32 (the reference uses signed int, which cannot hold all u32).
--   * deleted: 0 live, 1 removed but kept because jobs or usage refer to it
--     (records spec 9.4). Unique keys include deleted rows on purpose: re-adding
--     a removed object revives the same row and keeps its id, as in the reference.
--
-- NOT INSERTED HERE: TRES 1..8 and the deleted dynamic_offset row 1000, QOS
-- normal, account root and user root. The daemon asserts them at every start,
-- as slurmdbd does (records spec 9.1). Only tables are created here.

-- ------------------------------------------------------------------ cluster
-- One row per cluster (records spec 3). id is ours (not on the wire) and is
-- the cluster_id of every per-cluster table. Re-adding a removed cluster
-- revives its row, so the id is stable for the life of the name.
CREATE TABLE cluster (
  id                INT UNSIGNED      NOT NULL AUTO_INCREMENT,
  creation_time     BIGINT UNSIGNED   NOT NULL,
  mod_time          BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  deleted           TINYINT           NOT NULL DEFAULT 0,
  name              VARCHAR(1024)     NOT NULL,
  name_hash         BINARY(32)        GENERATED ALWAYS AS (UNHEX(SHA2(RTRIM(name), 256))) STORED,
  -- Registration fields, set by DBD_REGISTER_CTLD / DBD_MODIFY_CLUSTERS.
  -- control_host is the peer address of the registered slurmctld, empty and
  -- control_port 0 when not registered. last_port keeps the last non-zero port.
  control_host      VARCHAR(1024)     NOT NULL DEFAULT '',
  control_port      INT UNSIGNED      NOT NULL DEFAULT 0,
  last_port         INT UNSIGNED      NOT NULL DEFAULT 0,
  rpc_version       SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  classification    SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  dimensions        SMALLINT UNSIGNED NOT NULL DEFAULT 1,
  plugin_id_select  INT UNSIGNED      NOT NULL DEFAULT 0,
  flags             INT UNSIGNED      NOT NULL DEFAULT 0,   -- CLUSTER_FLAG_* (EXT 0x1000 = external)
  -- Federation membership lives in the cluster row, as in the reference:
  -- federation is the federation name (empty = none), fed_id 1..63,
  -- fed_state CLUSTER_FED_STATE_* (0 NA), features a comma separated list.
  federation        VARCHAR(1024)     NOT NULL DEFAULT '',
  federation_hash   BINARY(32)        GENERATED ALWAYS AS (UNHEX(SHA2(RTRIM(federation), 256))) STORED,
  features          TEXT              NOT NULL DEFAULT (''),
  fed_id            INT UNSIGNED      NOT NULL DEFAULT 0,
  fed_state         INT UNSIGNED      NOT NULL DEFAULT 0,
  -- Ours: per-cluster id allocators for assoc.id_assoc and wckey.id_wckey.
  -- The reference numbers associations and wckeys per cluster with
  -- AUTO_INCREMENT in per-cluster tables (ids start at 1 per cluster and are
  -- never reused). The application reads the value with SELECT ... FOR UPDATE
  -- on this row, uses it and stores value + 1, inside the same transaction.
  -- It resets both to 1 when it removes every association row of the cluster
  -- (where the reference drops the per-cluster tables).
  assoc_next_id     INT UNSIGNED      NOT NULL DEFAULT 1,
  wckey_next_id     INT UNSIGNED      NOT NULL DEFAULT 1,
  PRIMARY KEY (id),
  UNIQUE KEY name (name_hash),
  KEY federation (federation_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC;

-- ------------------------------------------------------------------ federation
-- records spec 4. Members are the cluster rows whose federation column holds
-- this name. flags is stored 0 (22.05 has no real federation flags).
CREATE TABLE federation (
  id                INT UNSIGNED      NOT NULL AUTO_INCREMENT,  -- surrogate, not on the wire
  creation_time     BIGINT UNSIGNED   NOT NULL,
  mod_time          BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  deleted           TINYINT           NOT NULL DEFAULT 0,
  name              VARCHAR(1024)     NOT NULL,
  name_hash         BINARY(32)        GENERATED ALWAYS AS (UNHEX(SHA2(RTRIM(name), 256))) STORED,
  flags             INT UNSIGNED      NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY name (name_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC;

-- ------------------------------------------------------------------ tres
-- records spec 2.1 and 6.7. ids 1..8 are fixed (cpu mem energy node billing
-- fs/disk vmem pages) and 1000 is the deleted dynamic_offset placeholder, all
-- inserted with explicit ids by the daemon at start. Because 1000 exists,
-- AUTO_INCREMENT then hands out 1001, 1002, ... to new TRES from DBD_ADD_TRES,
-- matching TRES_OFFSET in the reference. name is empty for unnamed types
-- (NULL on the wire). There is no mod_time, as in the reference.
CREATE TABLE tres (
  id                INT UNSIGNED      NOT NULL AUTO_INCREMENT,
  creation_time     BIGINT UNSIGNED   NOT NULL,
  deleted           TINYINT           NOT NULL DEFAULT 0,
  type              VARCHAR(1024)     NOT NULL,
  type_hash         BINARY(32)        GENERATED ALWAYS AS (UNHEX(SHA2(RTRIM(type), 256))) STORED,
  name              VARCHAR(1024)     NOT NULL DEFAULT '',
  name_hash         BINARY(32)        GENERATED ALWAYS AS (UNHEX(SHA2(RTRIM(name), 256))) STORED,
  PRIMARY KEY (id),
  UNIQUE KEY udex (type_hash, name_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC;

-- ------------------------------------------------------------------ qos
-- records spec 6.6. id is the QOS id used everywhere on the wire (assoc
-- qos_list, def_qos_id, preempt lists, job id_qos). NULL limit = not set
-- (sent as INFINITE). TRES limits are simple TRES strings (1=4,2=8192),
-- empty when not set. preempt is the list of preempted QOS ids in the
-- reference format (comma separated, with leading and trailing comma), from
-- which the preempt bitstring of qos-rec is built.
CREATE TABLE qos (
  id                        INT UNSIGNED    NOT NULL AUTO_INCREMENT,
  creation_time             BIGINT UNSIGNED NOT NULL,
  mod_time                  BIGINT UNSIGNED NOT NULL DEFAULT 0,
  deleted                   TINYINT         NOT NULL DEFAULT 0,
  name                      VARCHAR(1024)   NOT NULL,
  name_hash                 BINARY(32)      GENERATED ALWAYS AS (UNHEX(SHA2(RTRIM(name), 256))) STORED,
  description               TEXT            NULL,
  flags                     INT UNSIGNED    NOT NULL DEFAULT 0,   -- QOS_FLAG_* (never the NOTSET/ADD/REMOVE request markers)
  grace_time                INT UNSIGNED    NULL,
  max_jobs_pa               INT UNSIGNED    NULL,
  max_jobs_per_user         INT UNSIGNED    NULL,
  max_jobs_accrue_pa        INT UNSIGNED    NULL,
  max_jobs_accrue_pu        INT UNSIGNED    NULL,
  min_prio_thresh           INT UNSIGNED    NULL,
  max_submit_jobs_pa        INT UNSIGNED    NULL,
  max_submit_jobs_per_user  INT UNSIGNED    NULL,
  max_tres_pa               TEXT            NOT NULL DEFAULT (''),
  max_tres_pj               TEXT            NOT NULL DEFAULT (''),
  max_tres_pn               TEXT            NOT NULL DEFAULT (''),
  max_tres_pu               TEXT            NOT NULL DEFAULT (''),
  max_tres_mins_pj          TEXT            NOT NULL DEFAULT (''),
  max_tres_run_mins_pa      TEXT            NOT NULL DEFAULT (''),
  max_tres_run_mins_pu      TEXT            NOT NULL DEFAULT (''),
  min_tres_pj               TEXT            NOT NULL DEFAULT (''),
  max_wall_duration_per_job INT UNSIGNED    NULL,                  -- minutes (max_wall_pj on the wire)
  grp_jobs                  INT UNSIGNED    NULL,
  grp_jobs_accrue           INT UNSIGNED    NULL,
  grp_submit_jobs           INT UNSIGNED    NULL,
  grp_tres                  TEXT            NOT NULL DEFAULT (''),
  grp_tres_mins             TEXT            NOT NULL DEFAULT (''),
  grp_tres_run_mins         TEXT            NOT NULL DEFAULT (''),
  grp_wall                  INT UNSIGNED    NULL,                  -- minutes
  preempt                   TEXT            NOT NULL DEFAULT (''),
  preempt_mode              INT UNSIGNED    NOT NULL DEFAULT 0,    -- 0 = OFF, PREEMPT_MODE_* bits
  preempt_exempt_time       INT UNSIGNED    NULL,
  priority                  INT UNSIGNED    NULL DEFAULT 0,
  -- Doubles travel as x1e6 bit patterns on the wire, stored here as plain values.
  -- NULL usage_thres / limit_factor = not set (sent as (double)INFINITE).
  usage_factor              DOUBLE          NOT NULL DEFAULT 1,
  usage_thres               DOUBLE          NULL,
  limit_factor              DOUBLE          NULL,
  PRIMARY KEY (id),
  UNIQUE KEY name (name_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC;

-- ------------------------------------------------------------------ acct
-- Accounts (records spec 6.2). Associations refer to accounts by name, as in
-- the reference, so id is only a surrogate (MariaDB cannot key the hash).
CREATE TABLE acct (
  id                INT UNSIGNED      NOT NULL AUTO_INCREMENT,
  creation_time     BIGINT UNSIGNED   NOT NULL,
  mod_time          BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  deleted           TINYINT           NOT NULL DEFAULT 0,
  name              VARCHAR(1024)     NOT NULL,
  name_hash         BINARY(32)        GENERATED ALWAYS AS (UNHEX(SHA2(RTRIM(name), 256))) STORED,
  description       TEXT              NOT NULL DEFAULT (''),
  organization      TEXT              NOT NULL DEFAULT (''),
  PRIMARY KEY (id),
  UNIQUE KEY name (name_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC;

-- ------------------------------------------------------------------ user
-- Users (records spec 6.4). admin_level: 1 None, 2 Operator, 3 Administrator.
-- NOTSET (0) from a request is stored as 1, as the reference does. The
-- default account and default wckey are not stored here: they are the
-- is_def rows in assoc and wckey (per cluster).
CREATE TABLE `user` (
  id                INT UNSIGNED      NOT NULL AUTO_INCREMENT,
  creation_time     BIGINT UNSIGNED   NOT NULL,
  mod_time          BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  deleted           TINYINT           NOT NULL DEFAULT 0,
  name              VARCHAR(1024)     NOT NULL,
  name_hash         BINARY(32)        GENERATED ALWAYS AS (UNHEX(SHA2(RTRIM(name), 256))) STORED,
  admin_level       SMALLINT UNSIGNED NOT NULL DEFAULT 1,
  PRIMARY KEY (id),
  UNIQUE KEY name (name_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC;

-- ------------------------------------------------------------------ acct_coord
-- Direct coordinators (coord-rec direct = 1). Inherited coordinators of
-- sub-accounts are computed from the association tree, not stored.
CREATE TABLE acct_coord (
  id                INT UNSIGNED      NOT NULL AUTO_INCREMENT,  -- surrogate
  creation_time     BIGINT UNSIGNED   NOT NULL,
  mod_time          BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  deleted           TINYINT           NOT NULL DEFAULT 0,
  acct              VARCHAR(1024)     NOT NULL,
  acct_hash         BINARY(32)        GENERATED ALWAYS AS (UNHEX(SHA2(RTRIM(acct), 256))) STORED,
  `user`            VARCHAR(1024)     NOT NULL,
  user_hash         BINARY(32)        GENERATED ALWAYS AS (UNHEX(SHA2(RTRIM(`user`), 256))) STORED,
  PRIMARY KEY (id),
  UNIQUE KEY acct_user (acct_hash, user_hash),
  KEY by_user (user_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC;

-- ------------------------------------------------------------------ assoc
-- Associations (records spec 5), all clusters in one table.
-- * id_assoc is per cluster on the wire and starts at 1 in every cluster
--   (root account association = 1, root user association = 2), hence the
--   composite primary key. The application allocates it from
--   cluster.assoc_next_id (see there), never reusing an id.
-- * Account associations have user = empty string, user associations have
--   user set and parent_acct = empty string (their parent is the account
--   association of acct). partition is the empty string when none.
-- * lft/rgt form one nested set per cluster (root account association has
--   lft 1). They are signed INT, as in the reference, because moving a
--   subtree shifts it by negative offsets. Not unique: a nested-set shift
--   updates many rows in one statement and would collide transiently.
-- * qos holds the explicit QOS id set (comma list with leading and trailing
--   comma, e.g. ,1,3,), delta_qos the +id/-id adjustments relative to the
--   parent (e.g. ,+2,-1,). Both empty = inherit from the parent.
-- * Limit columns: NULL = not set (inherited or unlimited, records spec 5.2).
-- * shares: FairShare, default 1. 2147483647 (SLURMDB_FS_USE_PARENT) = parent.
-- * is_def: 1 on the default user association of that user on that cluster.
CREATE TABLE assoc (
  cluster_id        INT UNSIGNED      NOT NULL,
  id_assoc          INT UNSIGNED      NOT NULL,
  creation_time     BIGINT UNSIGNED   NOT NULL,
  mod_time          BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  deleted           TINYINT           NOT NULL DEFAULT 0,
  is_def            TINYINT           NOT NULL DEFAULT 0,
  `user`            VARCHAR(1024)     NOT NULL DEFAULT '',
  user_hash         BINARY(32)        GENERATED ALWAYS AS (UNHEX(SHA2(RTRIM(`user`), 256))) STORED,
  acct              VARCHAR(1024)     NOT NULL,
  acct_hash         BINARY(32)        GENERATED ALWAYS AS (UNHEX(SHA2(RTRIM(acct), 256))) STORED,
  `partition`       VARCHAR(1024)     NOT NULL DEFAULT '',
  partition_hash    BINARY(32)        GENERATED ALWAYS AS (UNHEX(SHA2(RTRIM(`partition`), 256))) STORED,
  parent_acct       VARCHAR(1024)     NOT NULL DEFAULT '',
  lft               INT               NOT NULL,
  rgt               INT               NOT NULL,
  shares            INT UNSIGNED      NOT NULL DEFAULT 1,
  max_jobs          INT UNSIGNED      NULL,
  max_jobs_accrue   INT UNSIGNED      NULL,
  min_prio_thresh   INT UNSIGNED      NULL,
  max_submit_jobs   INT UNSIGNED      NULL,
  max_tres_pj       TEXT              NOT NULL DEFAULT (''),
  max_tres_pn       TEXT              NOT NULL DEFAULT (''),
  max_tres_mins_pj  TEXT              NOT NULL DEFAULT (''),
  max_tres_run_mins TEXT              NOT NULL DEFAULT (''),
  max_wall_pj       INT UNSIGNED      NULL,                   -- minutes
  grp_jobs          INT UNSIGNED      NULL,
  grp_jobs_accrue   INT UNSIGNED      NULL,
  grp_submit_jobs   INT UNSIGNED      NULL,
  grp_tres          TEXT              NOT NULL DEFAULT (''),
  grp_tres_mins     TEXT              NOT NULL DEFAULT (''),
  grp_tres_run_mins TEXT              NOT NULL DEFAULT (''),
  grp_wall          INT UNSIGNED      NULL,                   -- minutes
  priority          INT UNSIGNED      NULL,
  def_qos_id        INT UNSIGNED      NULL,
  qos               TEXT              NOT NULL DEFAULT (''),
  delta_qos         TEXT              NOT NULL DEFAULT (''),
  PRIMARY KEY (cluster_id, id_assoc),
  UNIQUE KEY udex (cluster_id, user_hash, acct_hash, partition_hash),
  KEY lft (cluster_id, lft),
  -- acct / user first so that cross-cluster removal (remove account, remove
  -- user) and per-cluster lookups both use an index.
  KEY account (acct_hash, cluster_id),
  KEY by_user (user_hash, cluster_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC;

-- ------------------------------------------------------------------ wckey
-- records spec 6.5. Like associations, wckey ids are numbered per cluster
-- from 1 (the reference uses AUTO_INCREMENT in the per-cluster table) and
-- are allocated by the application from cluster.wckey_next_id. The blank
-- wckey has wckey_name = empty string. is_def marks the default wckey of the
-- user on that cluster. Job rows refer to it by (cluster_id, id_wckey).
CREATE TABLE wckey (
  cluster_id        INT UNSIGNED      NOT NULL,
  id_wckey          INT UNSIGNED      NOT NULL,
  creation_time     BIGINT UNSIGNED   NOT NULL,
  mod_time          BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  deleted           TINYINT           NOT NULL DEFAULT 0,
  is_def            TINYINT           NOT NULL DEFAULT 0,
  wckey_name        VARCHAR(1024)     NOT NULL DEFAULT '',
  wckey_name_hash   BINARY(32)        GENERATED ALWAYS AS (UNHEX(SHA2(RTRIM(wckey_name), 256))) STORED,
  `user`            VARCHAR(1024)     NOT NULL,
  user_hash         BINARY(32)        GENERATED ALWAYS AS (UNHEX(SHA2(RTRIM(`user`), 256))) STORED,
  PRIMARY KEY (cluster_id, id_wckey),
  UNIQUE KEY udex (cluster_id, wckey_name_hash, user_hash),
  KEY by_user (user_hash, cluster_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC;

-- ------------------------------------------------------------------ res
-- System resources / licenses (records spec 11.5). type: 0 notset, 1 license.
-- percent_used of res-rec is computed as the sum of clus_res.percent_allowed.
CREATE TABLE res (
  id                INT UNSIGNED      NOT NULL AUTO_INCREMENT,
  creation_time     BIGINT UNSIGNED   NOT NULL,
  mod_time          BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  deleted           TINYINT           NOT NULL DEFAULT 0,
  name              VARCHAR(1024)     NOT NULL,
  name_hash         BINARY(32)        GENERATED ALWAYS AS (UNHEX(SHA2(RTRIM(name), 256))) STORED,
  description       TEXT              NULL,
  manager           VARCHAR(1024)     NOT NULL DEFAULT '',
  server            VARCHAR(1024)     NOT NULL DEFAULT '',
  server_hash       BINARY(32)        GENERATED ALWAYS AS (UNHEX(SHA2(RTRIM(server), 256))) STORED,
  `count`           INT UNSIGNED      NOT NULL DEFAULT 0,
  type              INT UNSIGNED      NOT NULL DEFAULT 0,
  flags             INT UNSIGNED      NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY udex (name_hash, server_hash, type)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC;

-- ------------------------------------------------------------------ clus_res
-- Share of a resource given to a cluster (clus-res-rec). The reference keys
-- this by cluster name, we use cluster_id like every other cluster-scoped row.
-- percent_allowed is u16 on the wire.
CREATE TABLE clus_res (
  res_id            INT UNSIGNED      NOT NULL,
  cluster_id        INT UNSIGNED      NOT NULL,
  creation_time     BIGINT UNSIGNED   NOT NULL,
  mod_time          BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  deleted           TINYINT           NOT NULL DEFAULT 0,
  percent_allowed   SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (res_id, cluster_id),
  KEY cluster (cluster_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC;

-- ------------------------------------------------------------------ txn
-- Transaction log (records spec 9.4 and 11.3): action = DBD message type
-- number, name = the affected objects / where clause (txn-rec where_query),
-- info = the SET clause (set_info), actor = requesting user name. cluster is
-- kept as a name, not a cluster_id: the log outlives removed clusters and
-- txn-cond filters by cluster name. MEDIUMTEXT because a single change can
-- list many long names.
CREATE TABLE txn (
  id                INT UNSIGNED      NOT NULL AUTO_INCREMENT,
  `timestamp`       BIGINT UNSIGNED   NOT NULL DEFAULT 0,
  action            SMALLINT UNSIGNED NOT NULL,
  name              MEDIUMTEXT        NOT NULL,
  actor             VARCHAR(1024)     NOT NULL,
  cluster           VARCHAR(1024)     NOT NULL DEFAULT '',
  info              MEDIUMTEXT        NULL,
  PRIMARY KEY (id),
  KEY archive_purge (`timestamp`, cluster(191))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC;
