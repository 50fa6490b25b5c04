#!/usr/bin/env python3
"""Where the time of a large sacct goes: the client's, MariaDB's and each daemon's CPU seconds and peak RSS.

    BENCH_DIR=/tmp/sacct-bench python3 bench/sacct_profile.py setup --jobs 100000   # leaves everything running
    BENCH_DIR=/tmp/sacct-bench python3 bench/sacct_profile.py measure [--runs 3] [--who real,ours] [--all]
    BENCH_DIR=/tmp/sacct-bench python3 bench/sacct_profile.py restart-ours           # after a rebuild
    BENCH_DIR=/tmp/sacct-bench python3 bench/sacct_profile.py load --jobs 1000000    # more jobs on both
    BENCH_DIR=/tmp/sacct-bench python3 bench/sacct_profile.py start-base --base-root /tmp/main  # --who base,ours
    BENCH_DIR=/tmp/sacct-bench python3 bench/sacct_profile.py stop

Reuses bench/run.py's set-up (private munged and MariaDB, both daemons, jobs loaded by SQL). The state
(PIDs, ports) is kept in $BENCH_DIR/state.json; only those PIDs are ever stopped.
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time

import run

STATE = os.path.join(run.BENCH, "state.json")
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime + stime of a process and its reaped children, from /proc/<pid>/stat."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def status_kb(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class Attached(run.Daemon):
    """A daemon of the saved state, started by an earlier call of this script."""

    def __init__(self, name, database, munge_socket, db_port, port, pid):
        super().__init__(name, database, munge_socket, db_port)
        self.port, self.pid = port, pid
        # Daemon.__init__ picked a new port for its configuration; rewrite it with the saved one.
        run_port = self.port
        for path in (self.slurm_conf, self.dbd_conf):
            with open(path) as f:
                text = f.read()
            text = re.sub(r"(AccountingStoragePort|DbdPort)=\d+", lambda m: "%s=%d" % (m.group(1), run_port), text)
            with open(path, "w") as f:
                f.write(text)


    def command(self):
        if self.name == "base":
            return ["dotnet", os.path.join(load()["base_root"], "src/Dbd/bin/Release/net10.0/slurmdbd-net.dll"), "-D", "-f", self.dbd_conf]
        return super().command()


def save(state):
    with open(STATE, "w") as f:
        json.dump(state, f)


def load():
    with open(STATE) as f:
        return json.load(f)


def detach(args, env=None):
    return subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def setup(options):
    os.makedirs(run.BENCH, exist_ok=True)
    ports = iter(range(options.first_port, options.first_port + 100))
    run.free_port = lambda: next(ports)
    run.start = lambda args, env=None, **kw: detach(args, env)
    munge = run.start_munge()
    db_port, db_socket = run.start_mariadb()
    state = {"munge": munge, "db_port": db_port, "db_socket": db_socket, "jobs": 0, "daemons": {},
             "pids": {"mariadb": mariadb_pid(db_socket)}}
    for name, database in (("real", "bench_real"), ("ours", "bench_ours")):
        d = run.Daemon(name, database, munge, db_port)
        d.process = detach(d.command(), d.env)
        run.wait_port(d.port, 120, d.process)
        time.sleep(3)  # the real daemon answers its port before its tables exist
        state["daemons"][name] = {"database": database, "port": d.port, "pid": d.process.pid}
        for args in (["sacctmgr", "-i", "add", "cluster", "alpha"], ["sacctmgr", "-i", "add", "account", "physics", "cluster=alpha"],
                     ["sacctmgr", "-i", "add", "user", "alice", "account=physics", "cluster=alpha"]):
            d.run(args, check=False)
    save(state)
    load_jobs(options.jobs)


def mariadb_pid(db_socket):
    out = subprocess.run(["mariadb", "--no-defaults", "--socket=" + db_socket, "-u", "root", "-N", "-B", "-e",
                          "SELECT @@pid_file"], capture_output=True, text=True).stdout.strip()
    with open(out) as f:
        return int(f.read().strip())


def daemons(state, names=("real", "ours")):
    return [Attached(n, state["daemons"][n]["database"], state["munge"], state["db_port"], state["daemons"][n]["port"],
                     state["daemons"][n]["pid"]) for n in names]


def load_jobs(count):
    state = load()
    for d in daemons(state):
        run.load_jobs_sql(d, state["db_socket"], count, state["jobs"])
    state["jobs"] = count
    save(state)


def restart_ours():
    state = load()
    entry = state["daemons"]["ours"]
    try:
        os.kill(entry["pid"], signal.SIGTERM)
        for _ in range(100):
            os.kill(entry["pid"], 0)
            time.sleep(0.1)
    except ProcessLookupError:
        pass
    d = daemons(state, ["ours"])[0]
    process = detach(d.command(), d.env)
    run.wait_port(d.port, 120, process)
    entry["pid"] = process.pid
    save(state)


def start_base(options):
    """A second build of ours (e.g. main's) on our database, to compare builds alternately on a loaded machine."""
    state = load()
    state["base_root"] = os.path.abspath(options.base_root)
    save(state)
    d = Attached("base", "bench_ours", state["munge"], state["db_port"], state["daemons"]["ours"]["port"] + 1, 0)
    process = detach(d.command(), d.env)
    run.wait_port(d.port, 120, process)
    state["daemons"]["base"] = {"database": "bench_ours", "port": d.port, "pid": process.pid}
    save(state)


def measure(options):
    state = load()
    args = ["sacct", "-a", "--parsable2", "-o", "ALL"] if options.all else ["sacct", "-a", "-X", "-P"]
    args += run.LARGE_WINDOW
    db = state["pids"]["mariadb"]
    print("%d jobs: %s" % (state["jobs"], " ".join(args)))
    for i in range(options.runs):
        for d in daemons(state, options.who.split(",")):
            with open("/proc/%d/clear_refs" % d.pid, "w") as f:
                f.write("5")
            before = (cpu_seconds(d.pid), cpu_seconds(db))
            began = time.perf_counter()
            result = subprocess.run(["/usr/bin/time", "-f", "%U %S %M"] + args, env=d.env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, text=True)
            wall = time.perf_counter() - began
            user, system, client_kb = result.stderr.strip().splitlines()[-1].split()
            daemon_cpu, db_cpu = cpu_seconds(d.pid) - before[0], cpu_seconds(db) - before[1]
            print("%-4s wall %6.2f s  client cpu %6.2f s (rss %4d MB)  daemon cpu %6.2f s (%5.1f us/job, peak %5d MB)  "
                  "mariadb cpu %6.2f s" % (d.name, wall, float(user) + float(system), int(client_kb) // 1024, daemon_cpu,
                                           daemon_cpu / state["jobs"] * 1e6, status_kb(d.pid, "VmHWM") // 1024, db_cpu),
                  flush=True)


def stop():
    state = load()
    pids = [d["pid"] for d in state["daemons"].values()] + [state["pids"]["mariadb"]]
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    with open(os.path.join(run.BENCH, "munge", "munged.pid")) as f:
        os.kill(int(f.read().strip()), signal.SIGTERM)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["setup", "load", "measure", "restart-ours", "start-base", "stop"])
    parser.add_argument("--base-root", help="the checkout whose Release build start-base runs")
    parser.add_argument("--jobs", type=int, default=100000)
    parser.add_argument("--first-port", type=int, default=22000, help="MariaDB, then the daemons (setup)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--who", default="real,ours")
    parser.add_argument("--all", action="store_true", help="sacct -a --parsable2 -o ALL instead of -X -P")
    options = parser.parse_args()
    if options.command == "setup":
        setup(options)
    elif options.command == "load":
        load_jobs(options.jobs)
    elif options.command == "measure":
        measure(options)
    elif options.command == "start-base":
        start_base(options)
    elif options.command == "restart-ours":
        restart_ours()
    else:
        stop()


if __name__ == "__main__":
    main()
