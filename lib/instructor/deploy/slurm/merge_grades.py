#!/usr/bin/env python3
"""Join the CSV parts that shards of one grading run wrote into the class's grade export.

    python merge_grades.py --out grades-a1_convolution.csv grades-parts/a1_convolution/shard-*.csv \
        [--submitted COURSE/submitted --assignment a1_convolution]

Every part must have the same header. The result has one row per student, sorted by student id,
so it is byte for byte what one machine grading the whole class writes. The merge fails (exit 1,
nothing written) when a student appears in two parts, or, with ``--submitted``, when a student who
submitted the assignment appears in no part: a shard that crashed or never ran.
Standard library only, so any Python 3 can run it; submit.sh queues it as a Slurm job of its own.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path


def merge(parts: list[Path], submitted: Path | None = None, assignment: str | None = None) -> tuple[str, list[str]]:
    """The merged CSV text and a list of problems (empty when the parts make exactly one class)."""
    header: list[str] | None = None
    rows: dict[str, list[str]] = {}
    problems: list[str] = []
    for part in parts:
        if not part.is_file():
            problems.append(f"{part} is missing (its shard failed before writing it, or never ran)")
            continue
        with part.open(newline="") as fh:
            reader = csv.reader(fh)
            head = next(reader, None)
            if head is None:
                problems.append(f"{part} is empty (did its shard finish?)")
                continue
            if header is None:
                header = head
            elif head != header:
                problems.append(f"{part} has the columns {head}, not {header}")
                continue
            for row in reader:
                student = row[0]
                if student in rows:
                    problems.append(f"{student} appears in more than one part (again in {part})")
                rows[student] = row
    if submitted is not None:
        expected = {p.name for p in submitted.iterdir() if (p / assignment).is_dir()} if submitted.is_dir() else set()
        lost = sorted(expected - rows.keys())
        if lost:
            problems.append(f"{len(lost)} submitted student(s) in no part: {', '.join(lost[:20])}")
    out = io.StringIO()
    writer = csv.writer(out)  # the same dialect as the grading command's export
    if header is not None:
        writer.writerow(header)
    for student in sorted(rows):
        writer.writerow(rows[student])
    return out.getvalue(), problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="+", type=Path, help="the CSV part each shard wrote")
    parser.add_argument("--out", required=True, type=Path, help="where to write the merged CSV")
    parser.add_argument("--submitted", type=Path, help="the course's submitted/ folder: check that nobody is lost")
    parser.add_argument("--assignment", help="the assignment (needed with --submitted)")
    args = parser.parse_args(argv)
    if args.submitted and not args.assignment:
        parser.error("--submitted needs --assignment")
    text, problems = merge(args.parts, args.submitted, args.assignment)
    if problems:
        print("not merged:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    args.out.write_text(text, newline="")
    rows = max(0, len(list(csv.reader(io.StringIO(text)))) - 1)
    print(f"{rows} students from {len(args.parts)} part(s) -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
