#!/usr/bin/env python3
"""Side by side: the real slurmdbd 22.05.8 (Debian's package) and slurmdbd-net, one MariaDB, one munged.

    python3 bench/run.py [--runs N] [--jobs N] [--out bench/RESULTS.md]

Starts a private munged and MariaDB under $BENCH_DIR (default /tmp/slurmdbd-bench), both daemons on their
own database with auth/munge, loads the same data into both through the wire, then runs every measurement
alternately against both (real, ours, real, ours, ...) and writes a table of medians and the ratio
ours/real, with machine details, to the output file. Only processes started here are stopped, by PID.
A measurement one daemon cannot do yet is reported as such instead of stopping the run.
"""
import argparse
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.environ.get("BENCH_DIR", "/tmp/slurmdbd-bench")
PACKAGES = ["mariadb-server", "mariadb-client", "munge", "libmunge2", "slurmdbd", "slurm-wlm-mysql-plugin", "slurm-client"]
DB_USER, DB_PASS = "slurm", "bench-password"
started = []


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_port(port, seconds, process):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit("process %s exited early" % process.args)
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("nothing listens on %d" % port)


def ensure_packages():
    missing = [p for p in PACKAGES if subprocess.run(["dpkg-query", "-W", "-f=${Status}", p],
                                                    capture_output=True, text=True).stdout != "install ok installed"]
    if missing:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "-o", "DPkg::Lock::Timeout=600", "update", "-q"], check=True, env=env)
        subprocess.run(["apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-q"] + missing, check=True, env=env)


def start(args, env=None, **kwargs):
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    started.append(process)
    return process


def stop_all():
    for process in reversed(started):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()


def start_munge():
    directory = os.path.join(BENCH, "munge")
    os.makedirs(directory, exist_ok=True)
    os.chmod(directory, 0o755)
    key = os.path.join(directory, "munge.key")
    if not os.path.exists(key):
        with open(key, "wb") as f:
            f.write(os.urandom(1024))
        os.chmod(key, 0o400)
    socket_path = os.path.join(directory, "munge.socket.2")
    start(["munged", "--foreground", "--force", "--num-threads=8", "--socket=" + socket_path, "--key-file=" + key,
           "--log-file=" + os.path.join(directory, "munged.log"), "--pid-file=" + os.path.join(directory, "munged.pid"),
           "--seed-file=" + os.path.join(directory, "munged.seed")])
    for _ in range(100):
        if os.path.exists(socket_path):
            return socket_path
        time.sleep(0.1)
    raise SystemExit("munged did not start")


def start_mariadb():
    directory = os.path.join(BENCH, "mysql")
    data = os.path.join(directory, "data")
    sock = os.path.join(directory, "mysqld.sock")
    port = free_port()
    tmp = os.path.join(directory, "tmp")
    os.makedirs(tmp, exist_ok=True)
    if not os.path.isdir(os.path.join(data, "mysql")):
        os.makedirs(directory, exist_ok=True)
        subprocess.run(["mariadb-install-db", "--no-defaults", "--datadir=" + data, "--user=root",
                        "--auth-root-authentication-method=socket", "--skip-test-db"], check=True, capture_output=True)
    # The settings Slurm recommends and the anchor measured the real daemon with.
    start(["mariadbd", "--no-defaults", "--datadir=" + data, "--socket=" + sock, "--port=%d" % port,
           "--bind-address=127.0.0.1", "--user=root", "--skip-name-resolve", "--innodb-buffer-pool-size=1G",
           "--innodb-log-file-size=256M", "--innodb-lock-wait-timeout=900", "--skip-log-bin",
           # Its own temporary directory: a shared /tmp being cleaned under it failed a 1M-job sort once.
           "--tmpdir=" + tmp,
           "--log-error=" + os.path.join(directory, "error.log")])
    for _ in range(240):
        if subprocess.run(["mariadb", "--no-defaults", "--socket=" + sock, "-u", "root", "-e", "SELECT 1"],
                          capture_output=True).returncode == 0:
            break
        time.sleep(0.25)
    sql = ("DROP DATABASE IF EXISTS bench_real; DROP DATABASE IF EXISTS bench_ours;"
           "CREATE USER IF NOT EXISTS '{0}'@'127.0.0.1' IDENTIFIED BY '{1}';"
           "CREATE USER IF NOT EXISTS '{0}'@'localhost' IDENTIFIED BY '{1}';"
           "GRANT ALL ON bench_real.* TO '{0}'@'127.0.0.1'; GRANT ALL ON bench_real.* TO '{0}'@'localhost';"
           "GRANT ALL ON bench_ours.* TO '{0}'@'127.0.0.1';").format(DB_USER, DB_PASS)
    subprocess.run(["mariadb", "--no-defaults", "--socket=" + sock, "-u", "root", "-e", sql], check=True)
    return port, sock


class Daemon:
    def __init__(self, name, database, munge_socket, db_port):
        self.name = name
        self.directory = os.path.join(BENCH, name)
        os.makedirs(self.directory, exist_ok=True)
        self.port = free_port()
        self.database = database
        self.slurm_conf = os.path.join(self.directory, "slurm.conf")
        self.dbd_conf = os.path.join(self.directory, "slurmdbd.conf")
        with open(self.slurm_conf, "w") as f:
            f.write("ClusterName=alpha\nSlurmctldHost=localhost\nSlurmUser=root\nAuthType=auth/munge\n"
                    "AuthInfo=socket={0}\nAccountingStoragePass={0}\nCredType=cred/munge\n"
                    "AccountingStorageType=accounting_storage/slurmdbd\nAccountingStorageHost=127.0.0.1\n"
                    "AccountingStoragePort={1}\nStateSaveLocation={2}\nSlurmdSpoolDir={2}\n"
                    "ProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\nMpiDefault=none\n"
                    "NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 RealMemory=1000 State=UNKNOWN\n"
                    "PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP\n"
                    .format(munge_socket, self.port, self.directory))
        with open(self.dbd_conf, "w") as f:
            f.write("AuthType=auth/munge\nAuthInfo=socket={0}\nDbdHost=localhost\nDbdAddr=127.0.0.1\nDbdPort={1}\n"
                    "SlurmUser=root\nDebugLevel=info\nLogFile={2}/slurmdbd.log\nPidFile={2}/slurmdbd.pid\n"
                    "StorageType=accounting_storage/mysql\nStorageHost=127.0.0.1\nStoragePort={3}\n"
                    "StorageUser={4}\nStoragePass={5}\nStorageLoc={6}\n"
                    .format(munge_socket, self.port, self.directory, db_port, DB_USER, DB_PASS, database))
            if name != "real":
                # Its own spool: the default directory belongs to whichever daemon of the machine took it first.
                f.write("StorageParameters=SPOOL_DIR={0}/spool\n".format(self.directory))
        os.chmod(self.dbd_conf, 0o600)
        self.env = dict(os.environ, SLURM_CONF=self.slurm_conf)
        self.process = None

    def command(self):
        if self.name == "real":
            return ["/usr/sbin/slurmdbd", "-D"]
        return ["dotnet", os.path.join(ROOT, "src/Dbd/bin/Release/net10.0/slurmdbd-net.dll"), "-D", "-f", self.dbd_conf]

    def start(self):
        began = time.perf_counter()
        self.process = start(self.command(), env=self.env)
        wait_port(self.port, 120, self.process)
        return time.perf_counter() - began

    def rss_kb(self, field="VmRSS"):
        with open("/proc/%d/status" % self.process.pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return 0

    def reset_peak(self):
        with open("/proc/%d/clear_refs" % self.process.pid, "w") as f:
            f.write("5")

    def run(self, args, check=True, discard_output=False):
        began = time.perf_counter()
        result = subprocess.run(args, env=self.env, text=True, stderr=subprocess.PIPE,
                                stdout=subprocess.DEVNULL if discard_output else subprocess.PIPE)
        elapsed = time.perf_counter() - began
        if check and result.returncode != 0:
            raise RuntimeError("%s: %s" % (" ".join(args), ((result.stdout or "") + result.stderr).strip()[:200]))
        return elapsed, result.stdout


# 1,000,000 jobs through the wire would take the real daemon about 20 minutes at its ingest rate, so the
# large sacct rows load both databases by SQL instead: the same jobs (one batch step each, finished, in
# 2025) written into the real daemon's alpha_job_table/alpha_step_table and into our job/step tables.
# Only the table layout differs; every value comes from the same expressions over MariaDB's seq table.
JOB_BASE_INDEX, JOB_BASE_ID, JOB_EPOCH = 10000000, 20000000, 1735689600  # 2025-01-01, a job every 30 s
JOB_COLUMNS = [
    ("job_db_inx", "%d + seq" % JOB_BASE_INDEX), ("mod_time", "{t} + 100"), ("account", "'physics'"),
    ("cpus_req", "1"), ("exit_code", "IF(seq MOD 10 = 0, 256, 0)"), ("flags", "0"), ("job_name", "CONCAT('job', seq MOD 100)"),
    ("id_assoc", "{assoc}"), ("id_job", "%d + seq" % JOB_BASE_ID), ("id_qos", "1"), ("id_resv", "0"), ("id_wckey", "0"),
    ("id_user", "1000"), ("id_group", "1000"), ("het_job_id", "0"), ("het_job_offset", "4294967294"),
    ("state_reason_prev", "0"), ("mem_req", "1000"), ("nodelist", "'localhost'"), ("nodes_alloc", "1"),
    ("node_inx", "'0'"), ("`partition`", "'debug'"), ("priority", "1"), ("state", "IF(seq MOD 10 = 0, 5, 3)"),
    ("timelimit", "60"), ("time_submit", "{t}"), ("time_eligible", "{t}"), ("time_start", "{t} + 10"),
    ("time_end", "{t} + 70 + seq MOD 600"), ("work_dir", "'/home/alice'"), ("submit_line", "'sbatch job.sh'"),
    ("tres_alloc", "'1=1,2=1000,4=1,5=1'"), ("tres_req", "'1=1,2=1000,4=1,5=1'"),
]
STEP_COLUMNS = [
    ("job_db_inx", "%d + seq" % JOB_BASE_INDEX), ("id_step", "-5"), ("exit_code", "IF(seq MOD 10 = 0, 256, 0)"),
    ("nodelist", "'localhost'"), ("nodes_alloc", "1"), ("node_inx", "'0'"), ("state", "IF(seq MOD 10 = 0, 5, 3)"),
    ("step_name", "'batch'"), ("task_cnt", "1"), ("time_start", "{t} + 10"), ("time_end", "{t} + 70 + seq MOD 600"),
    ("user_sec", "seq MOD 50"), ("user_usec", "1000"), ("sys_sec", "1"), ("sys_usec", "500"), ("req_cpufreq", "4294967294"),
    ("req_cpufreq_min", "4294967294"), ("req_cpufreq_gov", "4294967294"), ("tres_alloc", "'1=1,2=1000,4=1'"),
    ("tres_usage_in_ave", "'1=40,2=4096000,6=1200'"), ("tres_usage_in_max", "'1=40,2=4096000,6=1200'"),
    ("tres_usage_in_max_taskid", "'1=0,2=0,6=0'"), ("tres_usage_in_max_nodeid", "'1=0,2=0,6=0'"),
    ("tres_usage_in_min", "'1=40,2=4096000,6=1200'"), ("tres_usage_in_min_taskid", "'1=0,2=0,6=0'"),
    ("tres_usage_in_min_nodeid", "'1=0,2=0,6=0'"), ("tres_usage_in_tot", "'1=40,2=4096000,6=1200'"),
    ("tres_usage_out_ave", "'6=80'"), ("tres_usage_out_max", "'6=80'"), ("tres_usage_out_max_taskid", "'6=0'"),
    ("tres_usage_out_max_nodeid", "'6=0'"), ("tres_usage_out_min", "'6=80'"), ("tres_usage_out_min_taskid", "'6=0'"),
    ("tres_usage_out_min_nodeid", "'6=0'"), ("tres_usage_out_tot", "'6=80'"),
]


def root_sql(daemon, db_socket, sql):
    result = subprocess.run(["mariadb", "--no-defaults", "--socket=" + db_socket, "-u", "root", "-N", "-B",
                             "-D", daemon.database, "-e", sql], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("loading jobs: " + result.stderr.strip()[:300])
    return result.stdout.strip()


def user_assocs(daemon, db_socket, users):
    """The association ids of the users on alpha, in the order of `users`."""
    names = ", ".join("'%s'" % user for user in users)
    if daemon.name == "real":
        sql = "SELECT id_assoc, user FROM alpha_assoc_table WHERE user IN (%s) AND deleted = 0" % names
    else:
        sql = ("SELECT a.id_assoc, a.user FROM assoc a JOIN cluster c ON c.id = a.cluster_id "
               "WHERE c.name = 'alpha' AND a.user IN (%s) AND a.deleted = 0" % names)
    ids = dict(reversed(line.split("\t")) for line in root_sql(daemon, db_socket, sql).splitlines())
    return [ids[user] for user in users]


def load_jobs_sql(daemon, db_socket, count, already=0, time_expr="%d + seq * 30" % JOB_EPOCH, users=("alice",)):
    """INSERT ... SELECT of jobs `already`..`count`-1 and their batch steps into the daemon's own tables, job
    seq submitted at `time_expr` by users[seq mod len(users)]."""
    if daemon.name == "real":
        job_table, step_table, extra_columns, extra_values = "alpha_job_table", "alpha_step_table", [], []
    else:
        job_table, step_table = "job", "step"
        extra_columns, extra_values = ["cluster_id"], [root_sql(daemon, db_socket, "SELECT id FROM cluster WHERE name = 'alpha'")]
    assocs = user_assocs(daemon, db_socket, users)
    assoc = assocs[0] if len(assocs) == 1 else "ELT(1 + seq MOD %d, %s)" % (len(assocs), ", ".join(assocs))
    statements = []
    for table, columns in ((job_table, JOB_COLUMNS), (step_table, STEP_COLUMNS)):
        names = extra_columns + [name for name, _ in columns]
        values = extra_values + [value.format(t="(%s)" % time_expr, assoc=assoc) for _, value in columns]
        statements.append("INSERT INTO %s.%s (%s) SELECT %s FROM seq_%d_to_%d" % (
            daemon.database, table, ", ".join(names), ", ".join(values), already, count - 1))
    root_sql(daemon, db_socket, "SET SESSION unique_checks = 0; " + "; ".join(statements))


def build():
    subprocess.run(["dotnet", "build", os.path.join(ROOT, "Accounting.sln"), "-c", "Release"], check=True,
                   stdout=subprocess.DEVNULL)


def loadgen(daemon, munge_socket, extra):
    args = ["dotnet", os.path.join(ROOT, "bench/LoadGenerator/bin/Release/net10.0/LoadGenerator.dll"),
            "--port", str(daemon.port), "--auth", "munge", "--munge-socket", munge_socket, "--cluster", "alpha"] + extra
    result = subprocess.run(args, capture_output=True, text=True, timeout=1800)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip()[-300:])
    fields = dict(part.split("=", 1) for part in result.stdout.strip().split()[-8:])
    return float(fields["records_per_s"]), float(fields["p50_ms"]), float(fields["p99_ms"])


LARGE_WINDOW = ["-S", "2025-01-01T00:00:00", "-E", "2026-01-01T00:00:00"]
# The days the first large job set covers (100,000 jobs, one every 30 s from 2025-01-01: 35 days).
ROLLUP_WINDOW = ["2025-01-01T00:00:00", "2025-02-05T00:00:00"]
# Issue #8's hourly rollup: 100,000 more jobs of 100 users, each running in the one hour from HOUR_EPOCH
# (before the sacct rows' window), on a cluster registered with 20,000 CPUs around it.
HOUR_EPOCH, HOUR_JOBS, HOUR_FIRST_SEQ = 1735646400, 100000, 5000000  # 2024-12-31 12:00 UTC
HOUR_USERS = ["hour%03d" % n for n in range(100)]
HOUR_WINDOW = [time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(t)) for t in (HOUR_EPOCH, HOUR_EPOCH + 3600)]


def load_hour_sql(daemon, db_socket):
    """The users, their HOUR_JOBS jobs (submitted within the hour's first 50 minutes, or a minute before it,
    each running 1 to 11 minutes) and the cluster's registration event."""
    daemon.run(["sacctmgr", "-i", "add", "user", ",".join(HOUR_USERS), "account=physics", "cluster=alpha"])
    load_jobs_sql(daemon, db_socket, HOUR_FIRST_SEQ + HOUR_JOBS, HOUR_FIRST_SEQ,
                  time_expr="%d - 60 + seq MOD 3000" % HOUR_EPOCH, users=HOUR_USERS)
    # Marks from now, unless a pass made them already: otherwise the next periodic pass would start from
    # the registration below and roll up every hour since, under the later rows.
    now = "UNIX_TIMESTAMP() DIV 3600 * 3600"
    table, cluster_column, cluster = "alpha_event_table", [], []
    marks = ("INSERT INTO alpha_last_ran_table (hourly_rollup, daily_rollup, monthly_rollup) SELECT {0}, {0}, {0} "
             "FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM alpha_last_ran_table)".format(now))
    if daemon.name == "ours":
        table, cluster_column = "event", ["cluster_id"]
        cluster = [root_sql(daemon, db_socket, "SELECT id FROM cluster WHERE name = 'alpha'")]
        marks = ("INSERT IGNORE INTO last_ran (cluster_id, hourly_rollup, daily_rollup, monthly_rollup) "
                 "VALUES ({0}, {1}, {1}, {1})".format(cluster[0], now))
    root_sql(daemon, db_socket, marks)
    columns = cluster_column + ["time_start", "time_end", "node_name", "cluster_nodes", "reason", "reason_uid", "state", "tres"]
    values = cluster + [str(HOUR_EPOCH - 86400), str(HOUR_EPOCH + 86400), "''", "'localhost'", "''", "4294967294", "0",
                        "'1=20000,2=40000000,4=100'"]
    root_sql(daemon, db_socket, "INSERT INTO %s (%s) VALUES (%s)" % (table, ", ".join(columns), ", ".join(values)))


def measure_rows(runs, daemons, rows, action):
    """Runs `action(daemon, i)` alternately on both daemons; it returns one value for each (title, unit) of
    `rows`, which become report rows sharing the first one's errors."""
    later = [{d.name: [] for d in daemons} for _ in rows[1:]]

    def first(d, i):
        results = action(d, i)
        for series, value in zip(later, results[1:]):
            series[d.name].append(value)
        return results[0]
    title, values, errors = measure(runs, daemons, rows[0][0], first)
    return [(title, values, errors, rows[0][1])] + [
        (row_title, series, errors, unit) for (row_title, unit), series in zip(rows[1:], later)]


def measure_ingest(runs, daemons, munge_socket, first_job, name, extra):
    """The load generator alternately on both daemons: acknowledged records/s and reply latency percentiles."""
    return measure_rows(runs, daemons, [(name + " (records/s)", "/s"), (name + ": reply p50 (ms)", "ms"),
                                        (name + ": reply p99 (ms)", "ms")],
                        lambda d, i: loadgen(d, munge_socket, extra + ["--first-job", str(next(first_job))]))


def cpu_seconds(pid):
    """User and system CPU seconds of a process so far (/proc/PID/stat)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_with_cpu(runs, daemons, name, args, mariadb):
    """Runs a client command alternately on both daemons: its time, and the CPU seconds the daemon and MariaDB spent."""
    def action(d, i):
        daemon_before, mariadb_before = cpu_seconds(d.process.pid), cpu_seconds(mariadb.pid)
        elapsed, _ = d.run(args, discard_output=True)
        return elapsed, cpu_seconds(d.process.pid) - daemon_before, cpu_seconds(mariadb.pid) - mariadb_before
    return measure_rows(runs, daemons, [(name + " (s)", "s"), (name + ": daemon CPU (s)", "s"),
                                        (name + ": MariaDB CPU (s)", "s")], action)


def measure_with_peak(runs, daemons, name, args):
    """Runs a client command alternately on both daemons: its time, and the daemon's peak RSS while it ran."""
    def action(d, i):
        d.reset_peak()
        elapsed, _ = d.run(args, discard_output=True)
        return elapsed, d.rss_kb("VmHWM") / 1024
    return measure_rows(runs, daemons, [(name + " (s)", "s"), (name + ": daemon peak RSS (MB)", "MB")], action)


def measure(runs, daemons, name, action):
    """Runs `action(daemon, i)` alternately on both daemons; returns per daemon the values or an error text."""
    values = {d.name: [] for d in daemons}
    errors = {}
    for i in range(runs):
        for d in daemons:
            if d.name in errors:
                continue
            try:
                values[d.name].append(action(d, i))
            except Exception as exception:  # the report says which daemon could not do it
                errors[d.name] = str(exception)
    return name, values, errors


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--out", default=os.path.join(ROOT, "bench/RESULTS.md"))
    parser.add_argument("--large-jobs", type=lambda text: [int(n) for n in text.split(",")], default=[100000, 1000000],
                        help="job counts loaded by SQL for the large sacct rows, ascending (default 100000,1000000)")
    options = parser.parse_args()
    began = time.time()
    ensure_packages()
    build()
    if os.path.isdir(BENCH):
        shutil.rmtree(BENCH)
    os.makedirs(BENCH)
    rows = []
    try:
        munge_socket = start_munge()
        db_port, db_socket = start_mariadb()
        mariadb = started[-1]
        daemons = [Daemon("real", "bench_real", munge_socket, db_port), Daemon("ours", "bench_ours", munge_socket, db_port)]
        startup = {d.name: [d.start()] for d in daemons}
        time.sleep(2)
        rows.append(("start-up until the port answers (s, first start, empty database)", startup, {}, "s"))
        rows.append(("idle RSS (MB)", {d.name: [d.rss_kb() / 1024] for d in daemons}, {}, "MB"))
        for d in daemons:
            d.run(["sacctmgr", "-i", "add", "cluster", "alpha"], check=False)
            d.run(["sacctmgr", "-i", "add", "account", "physics", "cluster=alpha"], check=False)
            d.run(["sacctmgr", "-i", "add", "user", "alice", "account=physics", "cluster=alpha"], check=False)

        def add_account(d, i):
            elapsed, _ = d.run(["sacctmgr", "-i", "add", "account", "bench%d" % i, "cluster=alpha"])
            return elapsed * 1000
        rows.append(measure(options.runs, daemons, "`sacctmgr -i add account X cluster=alpha` (ms)", add_account) + ("ms",))
        rows.append(measure(options.runs, daemons, "`sacctmgr show assoc -P` (ms)",
                            lambda d, i: d.run(["sacctmgr", "show", "assoc", "-P"])[0] * 1000) + ("ms",))
        rows.append(measure(options.runs, daemons, "`sacctmgr show tres` (ms)",
                            lambda d, i: d.run(["sacctmgr", "show", "tres"])[0] * 1000) + ("ms",))
        ingest_runs = max(3, options.runs // 2)
        first_job = iter(range(1000000, 100000000, 100000))
        rows.extend(measure_ingest(ingest_runs, daemons, munge_socket, first_job, "ingest, single records, 1 connection",
                                   ["--mode", "single", "--jobs", str(options.jobs // 10)]))
        rows.extend(measure_ingest(ingest_runs, daemons, munge_socket, first_job, "ingest, MULT batches of 100, 1 connection",
                                   ["--mode", "mult", "--batch", "100", "--jobs", str(options.jobs)]))
        rows.extend(measure_ingest(ingest_runs, daemons, munge_socket, first_job, "ingest, MULT batches of 100, 4 connections",
                                   ["--mode", "mult", "--batch", "100", "--conns", "4", "--jobs", str(options.jobs)]))
        # At a fixed offered rate both daemons keep up (the real one's flat-out rates are above), so what
        # differs is the reply latency a controller sees.
        rows.extend(measure_ingest(ingest_runs, daemons, munge_socket, first_job,
                                   "ingest at an offered 20 records/s, single records, 1 connection",
                                   ["--mode", "single", "--jobs", "100", "--rate", "20"]))
        rows.extend(measure_ingest(ingest_runs, daemons, munge_socket, first_job,
                                   "ingest at an offered 1,000 records/s, MULT batches of 100, 1 connection",
                                   ["--mode", "mult", "--batch", "100", "--jobs", str(options.jobs), "--rate", "1000"]))
        rows.append(measure(options.runs, daemons, "`sacct -a -X -S 2020-01-01 -P` over the ingested jobs (ms)",
                            lambda d, i: d.run(["sacct", "-a", "-X", "-S", "2020-01-01", "-P"])[0] * 1000) + ("ms",))
        rows.append(("RSS after the runs (MB)", {d.name: [d.rss_kb() / 1024] for d in daemons}, {}, "MB"))
        rows.append(measure(options.runs, daemons, "`sacctmgr dump alpha` (ms)", lambda d, i: d.run(
            ["sacctmgr", "-i", "dump", "alpha", "file=" + os.path.join(d.directory, "dump%d.cfg" % i)])[0] * 1000) + ("ms",))
        loaded = 0
        for count in options.large_jobs:
            for d in daemons:
                load_jobs_sql(d, db_socket, count, loaded)
            loaded = count
            large_runs = 3 if count <= 100000 else 2
            rows.extend(measure_with_peak(large_runs, daemons, "`sacct -a -X -P` over %s jobs" % format(count, ","),
                                          ["sacct", "-a", "-X", "-P"] + LARGE_WINDOW))
            rows.extend(measure_with_peak(large_runs, daemons, "`sacct -a --parsable2 -o ALL` over %s jobs" % format(count, ","),
                                          ["sacct", "-a", "--parsable2", "-o", "ALL"] + LARGE_WINDOW))
            if count == options.large_jobs[0]:
                # An explicit end recomputes the window on both daemons, so every run does the same work.
                rows.append(measure(large_runs, daemons, "`sacctmgr -i rollup` of the %s jobs' 35 days (840 hours, "
                                    "their days and months) (s)" % format(count, ","),
                                    lambda d, i: d.run(["sacctmgr", "-i", "rollup"] + ROLLUP_WINDOW)[0]) + ("s",))
                for d in daemons:
                    load_hour_sql(d, db_socket)
                rows.extend(measure_with_cpu(max(3, options.runs // 2), daemons, "hourly rollup over %s jobs "
                                             "(`sacctmgr -i rollup` of the one hour they ran in)" % format(HOUR_JOBS, ","),
                                             ["sacctmgr", "-i", "rollup"] + HOUR_WINDOW, mariadb))
    finally:
        stop_all()
    write_report(options.out, rows, time.time() - began)


def write_report(path, rows, seconds):
    lines = ["# Benchmarks: slurmdbd-net against the real slurmdbd 22.05.8", "",
             "Made by `python3 bench/run.py` on %s. Machine: %s, %d cores, %s. Both daemons on one private MariaDB "
             "(innodb_buffer_pool_size=1G, innodb_flush_log_at_trx_commit=1), auth/munge, measured alternately "
             "(real, ours, real, ours, ...); medians. The jobs of the large sacct rows are loaded by SQL into each "
             "daemon's own tables (the same values from the same expressions; `load_jobs_sql` in bench/run.py), "
             "because the real daemon would need about 20 minutes per 1,000,000 jobs through the wire; each has one "
             "batch step. Peak RSS is the daemon's VmHWM, reset before each run." % (
                 time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), platform.node(), os.cpu_count(), platform.platform()), "",
             "| measurement | real | ours | ours/real |", "|---|---:|---:|---:|"]
    for name, values, errors, unit in rows:
        cells = []
        for who in ("real", "ours"):
            # Seconds under 10 (the rollup's CPU figures) need two decimals to be told apart.
            digits = "%.2f" if unit == "s" and values.get(who) and statistics.median(values[who]) < 10 else "%.1f"
            cells.append("n/a (%s)" % " ".join(errors[who].replace("|", "/").split())[:80] if who in errors or not values.get(who)
                         else digits % statistics.median(values[who]))
        ratio = ("%.2f" % (statistics.median(values["ours"]) / statistics.median(values["real"]))
                 if values.get("ours") and values.get("real") and statistics.median(values["real"]) else "—")
        lines.append("| %s | %s | %s | %s |" % (name, cells[0], cells[1], ratio))
    lines += ["", "The whole run took %.0f s." % seconds]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        stop_all()
        sys.exit(1)
