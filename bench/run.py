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
    if not os.path.isdir(os.path.join(data, "mysql")):
        os.makedirs(directory, exist_ok=True)
        subprocess.run(["mariadb-install-db", "--no-defaults", "--datadir=" + data, "--user=root",
                        "--auth-root-authentication-method=socket", "--skip-test-db"], check=True, capture_output=True)
    # The settings Slurm recommends and the anchor measured the real daemon with.
    start(["mariadbd", "--no-defaults", "--datadir=" + data, "--socket=" + sock, "--port=%d" % port,
           "--bind-address=127.0.0.1", "--user=root", "--skip-name-resolve", "--innodb-buffer-pool-size=1G",
           "--innodb-log-file-size=256M", "--innodb-lock-wait-timeout=900", "--skip-log-bin",
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

    def run(self, args, check=True):
        began = time.perf_counter()
        result = subprocess.run(args, env=self.env, capture_output=True, text=True)
        elapsed = time.perf_counter() - began
        if check and result.returncode != 0:
            raise RuntimeError("%s: %s" % (" ".join(args), (result.stdout + result.stderr).strip()[:200]))
        return elapsed, result.stdout


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
    options = parser.parse_args()
    ensure_packages()
    build()
    if os.path.isdir(BENCH):
        shutil.rmtree(BENCH)
    os.makedirs(BENCH)
    rows = []
    try:
        munge_socket = start_munge()
        db_port, _ = start_mariadb()
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
        rows.append(measure(max(3, options.runs // 2), daemons, "ingest, single records, 1 connection (records/s)",
                            lambda d, i: loadgen(d, munge_socket, ["--mode", "single", "--jobs", str(options.jobs // 10),
                                                                   "--first-job", str(1000000 + i * 100000)])[0]) + ("/s",))
        rows.append(measure(max(3, options.runs // 2), daemons, "ingest, MULT batches of 100, 1 connection (records/s)",
                            lambda d, i: loadgen(d, munge_socket, ["--mode", "mult", "--batch", "100", "--jobs", str(options.jobs),
                                                                   "--first-job", str(5000000 + i * 100000)])[0]) + ("/s",))
        rows.append(measure(options.runs, daemons, "`sacct -a -X -S 2020-01-01 -P` over the ingested jobs (ms)",
                            lambda d, i: d.run(["sacct", "-a", "-X", "-S", "2020-01-01", "-P"])[0] * 1000) + ("ms",))
        rows.append(("RSS after the runs (MB)", {d.name: [d.rss_kb() / 1024] for d in daemons}, {}, "MB"))
    finally:
        stop_all()
    write_report(options.out, rows)


def write_report(path, rows):
    lines = ["# Benchmarks: slurmdbd-net against the real slurmdbd 22.05.8", "",
             "Made by `python3 bench/run.py` on %s. Machine: %s, %d cores, %s. Both daemons on one private MariaDB "
             "(innodb_buffer_pool_size=1G, innodb_flush_log_at_trx_commit=1), auth/munge, measured alternately "
             "(real, ours, real, ours, ...); medians." % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                                     platform.node(), os.cpu_count(), platform.platform()), "",
             "| measurement | real | ours | ours/real |", "|---|---:|---:|---:|"]
    for name, values, errors, _ in rows:
        cells = []
        for who in ("real", "ours"):
            cells.append("n/a (%s)" % " ".join(errors[who].replace("|", "/").split())[:80] if who in errors or not values.get(who)
                         else "%.1f" % statistics.median(values[who]))
        ratio = ("%.2f" % (statistics.median(values["ours"]) / statistics.median(values["real"]))
                 if values.get("ours") and values.get("real") and statistics.median(values["real"]) else "—")
        lines.append("| %s | %s | %s | %s |" % (name, cells[0], cells[1], ratio))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        stop_all()
        sys.exit(1)
