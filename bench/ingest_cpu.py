#!/usr/bin/env python3
"""CPU per ingested record: the real slurmdbd and ours (and optionally another build of ours) on one MariaDB.

    python3 bench/ingest_cpu.py [--rounds 3] [--jobs 2000] [--base-root DIR] [--first-port 21000]

Uses bench/run.py's munged, MariaDB and daemon set-up (under $BENCH_DIR), then runs the load generator's
MULT batches of 100 on 1 and 4 connections alternately against each daemon and reports, per daemon, the
records/s and the CPU seconds (utime + stime from /proc) that the daemon and MariaDB spent per record.
On a shared machine the CPU numbers are the steadier ones. --base-root names another checkout of this
repository, built in Release, whose daemon runs as "base" (the build before a change, for instance).
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def mariadb_pid():
    return next(process.pid for process in run.started if process.args[0] == "mariadbd")


class BaseDaemon(run.Daemon):
    def __init__(self, root, *args):
        self.root = root
        super().__init__(*args)

    def command(self):
        return ["dotnet", os.path.join(self.root, "src/Dbd/bin/Release/net10.0/slurmdbd-net.dll"), "-D", "-f", self.dbd_conf]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--base-root")
    parser.add_argument("--first-port", type=int, default=21000)
    parser.add_argument("--skip-real", action="store_true", help="only our daemons (to profile them)")
    options = parser.parse_args()
    ports = iter(range(options.first_port, options.first_port + 1000))

    def next_port():
        for port in ports:
            with socket.socket() as probe:
                try:
                    probe.bind(("127.0.0.1", port))
                    return port
                except OSError:
                    continue
        raise SystemExit("no free port in range")
    run.free_port = next_port
    run.build()
    try:
        munge_socket = run.start_munge()
        db_port, db_socket = run.start_mariadb()
        daemons = [run.Daemon("ours", "bench_ours", munge_socket, db_port)]
        if not options.skip_real:
            daemons.insert(0, run.Daemon("real", "bench_real", munge_socket, db_port))
        if options.base_root:
            subprocess.run(["mariadb", "--no-defaults", "--socket=" + db_socket, "-u", "root", "-e",
                            "DROP DATABASE IF EXISTS bench_base; GRANT ALL ON bench_base.* TO '%s'@'127.0.0.1'" % run.DB_USER], check=True)
            daemons.append(BaseDaemon(options.base_root, "base", "bench_base", munge_socket, db_port))
        for d in daemons:
            if d.name == "base":
                # A spool of its own, as run.py gives "ours": the default one may be locked by another daemon.
                with open(d.dbd_conf, "a") as f:
                    f.write("StorageParameters=SPOOL_DIR=%s\n" % os.path.join(d.directory, "spool"))
            d.start()
            d.run(["sacctmgr", "-i", "add", "cluster", "alpha"], check=False)
        database = mariadb_pid()
        results = {}
        for round_ in range(options.rounds):
            for conns in (1, 4):
                for d in daemons:
                    first = 5000000 + (round_ * 2 + (conns == 4)) * 100000
                    before = (cpu_seconds(d.process.pid), cpu_seconds(database))
                    rate, _, _ = run.loadgen(d, munge_socket, ["--mode", "mult", "--batch", "100", "--conns", str(conns),
                                                              "--jobs", str(options.jobs), "--first-job", str(first)])
                    records = options.jobs * 4
                    spent = (cpu_seconds(d.process.pid) - before[0], cpu_seconds(database) - before[1])
                    results.setdefault((d.name, conns), []).append((rate, spent[0] / records * 1e6, spent[1] / records * 1e6))
        print("| daemon | connections | records/s | daemon CPU µs/record | MariaDB CPU µs/record |")
        print("|---|---|---|---|---|")
        for (name, conns), values in sorted(results.items(), key=lambda item: (item[0][1], item[0][0])):
            print("| %s | %d | %.0f | %.0f | %.0f |" % (name, conns, *(statistics.median(v[k] for v in values) for k in range(3))))
    finally:
        run.stop_all()


if __name__ == "__main__":
    main()
