"""Benchmark of grading into a shared PostgreSQL gradebook: 1 shard against N shards, next to SQLite.

    sudo .venv/bin/python tests/bench/bench_postgres.py              # 200 submissions, 2 shards
    sudo .venv/bin/python tests/bench/bench_postgres.py --n 40       # a quicker look
    sudo .venv/bin/python tests/bench/bench_postgres.py --no-sqlite  # skip the SQLite runs

Builds the synthetic A1 class of tests/bench/bench_autograde.py (correct, partly wrong, blank and
broken submissions) and starts a throw-away PostgreSQL server (Debian's ``postgresql``; see
tests/grading/servers.py). Then it grades the class, each run from a fresh copy of the course:

- with SQLite, 1 worker and then N workers in one process (the README's existing figures), unless
  ``--no-sqlite``;
- with PostgreSQL as the gradebook, once as 1 shard with 1 worker, and once as N shards of 1 worker
  each, started at the same time, each with its own copy of the course and its own scratch folder,
  as N machines would.

It prints submissions per minute for each run, checks that every CSV (the N parts merged with
deploy/slurm/merge_grades.py) is identical byte for byte to the 1-shard one, and that the N-shard
gradebook holds the same rows as the 1-shard gradebook. On one machine the N shards share its cores,
so N shards on an N-core machine measure the cost of sharding, not the speed of N machines.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "grading"))
sys.path.insert(0, str(REPO / "tests" / "bench"))

import bench_autograde  # noqa: E402
import hostile_fixtures as hf  # noqa: E402
import servers  # noqa: E402

A1 = "a1_convolution"
MERGE = servers.SLURM_DEPLOY / "merge_grades.py"


def run_at_once(commands: list[list[str]]) -> float:
    """Start every command together; wait for all; return the wall time (exit 0 or 1 expected from each)."""
    started = time.perf_counter()
    procs = [
        subprocess.Popen(cmd, env=hf.nbgrader_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for cmd in commands
    ]
    outputs = [p.communicate()[0] for p in procs]
    elapsed = time.perf_counter() - started
    for cmd, proc, out in zip(commands, procs, outputs, strict=True):
        # 1 means "some could not be graded"; a traceback means the command itself broke
        if proc.returncode not in (0, 1) or "Traceback (most recent call last)" in out:
            raise SystemExit(f"{' '.join(cmd)} failed (exit {proc.returncode}):\n{out[-3000:]}")
        print("   ", out.strip().splitlines()[-1])
    return elapsed


def command(course: Path, scratch: Path, workers: int, cpu_per_cell: float, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "cnninstructor.autograde", A1, "--course-dir", str(course), "--quiet",
        "--workers", str(workers), "--cpu-per-cell", str(cpu_per_cell), "--scratch", str(scratch), *extra,
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="number of submissions (default 200)")
    parser.add_argument("--shards", type=int, default=2, help="N, the number of shards (default 2)")
    parser.add_argument("--cpu-per-cell", type=float, default=60.0, help="per-cell CPU budget passed to the command")
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite runs")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("run as root: the grading sandbox needs it")
    if servers.missing_postgres():
        raise SystemExit(f"PostgreSQL is not installed (Debian: apt-get install -y {servers.CI_PACKAGES})")
    scratch = Path(tempfile.mkdtemp(prefix="bench-postgres-"))
    n, shards = args.n, args.shards
    rates = {}
    try:
        base = scratch / "class"
        bench_autograde.build(base, n)
        print(f"{n} synthetic A1 submissions on {os.cpu_count()} CPUs (load average {os.getloadavg()[0]:.1f})")

        def fresh(name: str, db_url: str | None = None) -> Path:
            course = scratch / name
            shutil.copytree(base, course)
            if db_url:
                servers.point_course_at(course, db_url)
            return course

        def report(label: str, elapsed: float) -> None:
            rates[label] = 60 * n / elapsed
            load = os.getloadavg()[1]  # the machine may be shared: say how busy it was during the run
            print(f"  {label:<38} {elapsed:7.1f} s  {rates[label]:6.1f} submissions/minute  (load, 5 min: {load:.1f})")

        csvs = {}
        if not args.no_sqlite:
            for workers in (1, shards):
                course = fresh(f"sqlite-{workers}")
                elapsed = run_at_once([command(course, scratch / f"s-sqlite-{workers}", workers, args.cpu_per_cell)])
                report(f"SQLite, 1 process, {workers} worker(s)", elapsed)
                csvs[f"sqlite-{workers}"] = (course / f"grades-{A1}.csv").read_bytes()

        with servers.Postgres() as pg:
            url_one = pg.create_database("one_shard")
            course = fresh("pg-1", url_one)
            elapsed = run_at_once([command(course, scratch / "s-pg-1", 1, args.cpu_per_cell)])
            report("PostgreSQL, 1 shard of 1 worker", elapsed)
            csvs["pg-1"] = (course / f"grades-{A1}.csv").read_bytes()

            url_n = pg.create_database("n_shards")
            commands, parts = [], []
            for k in range(1, shards + 1):
                course = fresh(f"pg-shard{k}", url_n)
                parts.append(course / f"grades-{A1}-shard-{k}-of-{shards}.csv")
                extra = ("--shard", f"{k}/{shards}", "--export", str(parts[-1]))
                commands.append(command(course, scratch / f"s-pg-shard{k}", 1, args.cpu_per_cell, *extra))
            elapsed = run_at_once(commands)
            report(f"PostgreSQL, {shards} shards of 1 worker at once", elapsed)
            merged = scratch / "merged.csv"
            done = subprocess.run(
                [sys.executable, str(MERGE), "--out", str(merged), "--submitted", str(base / "submitted"),
                 "--assignment", A1, *map(str, parts)],
                capture_output=True, text=True,
            )  # fmt: skip
            if done.returncode != 0:
                raise SystemExit(f"the shard CSVs do not merge: {done.stderr}")
            csvs["pg-n"] = merged.read_bytes()
            same_gradebook = servers.gradebook_snapshot(url_one, "cnn-course", A1) == servers.gradebook_snapshot(
                url_n, "cnn-course", A1
            )

        differ = [k for k, v in csvs.items() if v != csvs["pg-1"]]
        print(f"  CSV identical across all runs: {not differ}" + (f" (differ: {differ})" if differ else ""))
        print(f"  gradebook rows identical, 1 shard and {shards} shards: {same_gradebook}")
        one = rates["PostgreSQL, 1 shard of 1 worker"]
        print(
            f"  speed-up with {shards} shards: {rates[f'PostgreSQL, {shards} shards of 1 worker at once'] / one:.2f}x"
        )
        if "SQLite, 1 process, 1 worker(s)" in rates:
            print(f"  PostgreSQL / SQLite with 1 worker: {one / rates['SQLite, 1 process, 1 worker(s)']:.2f}")
        return 0 if not differ and same_gradebook else 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
