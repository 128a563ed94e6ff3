"""Benchmark of the grading command on synthetic A1 submissions: 1 worker against 2.

    python tests/bench/bench_autograde.py            # 200 submissions (as in issue 6)
    python tests/bench/bench_autograde.py --n 40     # a quicker look
    python tests/bench/bench_autograde.py --n 40 --baseline 7a2a0ef   # also time an earlier design, same run

Builds a scratch course with assignment A1 and N submissions: correct ones, partly wrong ones
(A1's mutants from tests/grading/mutants/a1_convolution.py, each breaking one function), blank
ones, and broken ones (malformed JSON, empty file, missing notebook, stripped metadata, a cell
that kills the kernel). Grades them with ``--workers 1`` and ``--workers 2`` (as root, sandboxed),
checks that every student's status and score match between the two runs and that no cell timed
out (none of these submissions loops), and prints submissions per minute for each run and the
speed-up (target: 2 workers >= 1.7x faster than 1 on a 2-core machine).

``--baseline REF`` first runs this benchmark as it was at git revision REF (the grading design of
that revision, from a temporary git worktree, on the same machine in the same run) and prints the
time per submission of the current design relative to it (target for the verdicts-outside-the-kernel
design: at most 1.2x the in-kernel design of 7a2a0ef).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "grading"))

import course  # noqa: E402
import hostile_fixtures as hf  # noqa: E402

A1 = "a1_convolution"


def build(root: Path, n: int) -> dict[str, str]:
    """Create the course and ``n`` submissions; return student -> kind."""
    hf.make_course(root, A1)
    good = hf.solved(root, A1)
    blank = hf.released(root, A1)
    mutants = course.load_mutants(A1)  # each with its source resolved, whether written whole or as edits
    kinds = {}
    broken = [
        ("malformed", '{"cells": ['),
        ("empty", b""),
        ("missing", None),
        ("stripped", hf.stripped(good)),
        ("kernel_death", hf.with_inserted(good, None, "import os\nos._exit(1)")),
    ]
    for i in range(n):
        student = f"student{i:03d}"
        slot = i % 10
        if slot < 5:
            kind, nb = "correct", good
        elif slot < 8:
            mutant = mutants[i % len(mutants)]
            kind, nb = f"mutant:{mutant['name']}", hf.with_cell(good, mutant["cell"], mutant["source"])
        elif slot == 8:
            kind, nb = "blank", blank
        else:
            kind, nb = broken[(i // 10) % len(broken)]
            kind = f"broken:{kind}"
        hf.submit(root, student, nb, A1)
        kinds[student] = kind
    return kinds


def grade(root: Path, workers: int, cpu_per_cell: float) -> tuple[float, dict[str, dict], list[dict]]:
    for sub in ("autograded", "feedback"):
        shutil.rmtree(root / sub, ignore_errors=True)
    report = root.parent / f"report-{workers}.json"
    started = time.perf_counter()
    done = hf.run_autograde(
        root,
        A1,
        "--workers",
        str(workers),
        "--quiet",
        "--json",
        str(report),
        "--cpu-per-cell",
        str(cpu_per_cell),
        timeout=6 * 3600,
    )
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"grading with {workers} worker(s) failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    print(done.stdout.strip().splitlines()[-1])
    with (root / f"grades-{A1}.csv").open() as fh:
        rows = {row["student_id"]: row for row in csv.DictReader(fh)}
    return elapsed, rows, json.loads(report.read_text())


def baseline(ref: str, n: int) -> dict[int, float]:
    """Seconds per submission with 1 and 2 workers of the grading design at git revision ``ref``."""
    tree = Path(tempfile.mkdtemp(prefix="bench-baseline-")) / "tree"
    subprocess.run(["git", "worktree", "add", "--detach", str(tree), ref], cwd=REPO, check=True, capture_output=True)
    try:
        env = {**os.environ, "PYTHONPATH": str(tree / "lib")}  # that revision's library and grader first
        done = subprocess.run(
            [sys.executable, str(tree / "tests" / "bench" / "bench_autograde.py"), "--n", str(n)],
            env=env,
            capture_output=True,
            text=True,
            timeout=6 * 3600,
        )
        print(f"baseline {ref}:\n" + done.stdout.rstrip())
        rates = {int(w): float(sec) / n for w, sec in re.findall(r"(\d) worker\(s\):\s+([\d.]+) s", done.stdout)}
        if set(rates) != {1, 2}:
            raise SystemExit(f"the baseline run failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        return rates
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=REPO, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="number of submissions (default 200)")
    parser.add_argument("--cpu-per-cell", type=float, default=60.0, help="per-cell CPU budget passed to the command")
    parser.add_argument("--keep", action="store_true", help="keep the scratch course")
    parser.add_argument("--baseline", default=None, metavar="REF", help="also time the design at git revision REF")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("run as root: the grading sandbox needs it")
    if not (REPO / "solutions" / A1 / f"{A1}.ipynb").exists():
        raise SystemExit("assignment A1 is not in solutions/ yet")
    before = baseline(args.baseline, args.n) if args.baseline else None
    scratch = Path(tempfile.mkdtemp(prefix="bench-autograde-"))
    try:
        kinds = build(scratch / "course", args.n)
        print(f"{args.n} synthetic A1 submissions on {os.cpu_count()} CPUs (load average {os.getloadavg()[0]:.1f})")
        timings, results = {}, {}
        for workers in (1, 2):
            elapsed, rows, outcomes = grade(scratch / "course", workers, args.cpu_per_cell)
            timings[workers], results[workers] = elapsed, rows
            rate = 60 * args.n / elapsed
            timeouts = [o["student"] for o in outcomes for e in o["events"] if e["kind"] == "timeout"]
            print(f"  {workers} worker(s): {elapsed:7.1f} s, {rate:6.1f} submissions/minute, timeouts: {len(timeouts)}")
            if timeouts:
                raise SystemExit(f"false timeouts with {workers} worker(s): {timeouts[:10]}")
        keys = ("status", "score", "auto_score", "details")
        mismatched = [s for s in kinds if any(results[1][s][k] != results[2][s][k] for k in keys)]
        print(f"  scores identical between 1 and 2 workers: {not mismatched}")
        by_kind: dict[str, set] = {}
        for student, kind in kinds.items():
            by_kind.setdefault(kind.split(":")[0], set()).add(results[1][student]["status"])
        print("  statuses by kind:", {k: sorted(v) for k, v in sorted(by_kind.items())})
        speedup = timings[1] / timings[2]
        print(f"  speed-up with 2 workers: {speedup:.2f}x (target >= 1.7x)")
        if before:
            for workers in (1, 2):
                ratio = timings[workers] / args.n / before[workers]
                print(f"  time per submission vs {args.baseline}, {workers} worker(s): {ratio:.2f}x (target <= 1.2x)")
        if mismatched:
            raise SystemExit(f"results differ between 1 and 2 workers for {mismatched[:10]}")
        return 0 if speedup >= 1.7 else 1
    finally:
        if args.keep:
            print("scratch course kept in", scratch)
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
