"""Grading a class as a Slurm array job (lib/instructor/deploy/slurm) on a one-node cluster the test starts.

``submit.sh 2 a1_convolution COURSE`` queues two array tasks, each running the grading command with
``--shard K/2`` into the course's PostgreSQL gradebook, and a job that merges their CSV parts once both
have ended. The course sits in one folder both tasks see, as on a cluster's shared file system. Checks:
each task graded its own share (a task with a malformed submission ends with exit code 1, as the grading
command does), the merge job succeeded, and the merged CSV and the gradebook hold every student once
with the scores their submission earns.
"""

from __future__ import annotations

import os
import subprocess
import sys

import hostile_fixtures as hf
import pytest
import servers

pytestmark = [pytest.mark.grading, pytest.mark.slurm, pytest.mark.postgres, pytest.mark.xdist_group("hostile")]

A1 = "a1_convolution"
COURSE_ID = "cnn-course"


@pytest.mark.a1
@pytest.mark.timeout(1200)
@pytest.mark.skipif(os.geteuid() != 0, reason="Slurm's daemons and the grading sandbox need root (CI runs as root)")
def test_slurm_array_job_grades_the_class_in_shards(tmp_path):
    servers.require(servers.missing_postgres() + servers.missing_slurm(), "the Slurm array-job test")
    root = tmp_path / "course"
    kinds = servers.small_a1_class(root, ("correct", "mutant", "blank", "malformed"))
    with servers.Postgres() as pg, servers.Slurm() as slurm:
        url = pg.create_database("slurm")
        servers.point_course_at(root, url)
        env = {**hf.nbgrader_env(), **slurm.env, "CNN_COURSE_PYTHON": sys.executable}
        done = subprocess.run(
            ["bash", str(servers.SLURM_DEPLOY / "submit.sh"), "2", A1, str(root), "--quiet"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        array, merge = done.stdout.split()[2], done.stdout.split()[-1]
        slurm.wait_idle(timeout=1000)
        states = slurm.job_states()
        logs = "\n".join(f"--- {p.name}\n{p.read_text()}" for p in sorted(root.glob("cnn-autograde-*.out")))
        # sorted students s01_correct, s02_mutant, s03_blank, s04_malformed: shard 2 holds the malformed one
        assert states[f"{array}_1"] == ("COMPLETED", "0:0"), logs
        assert states[f"{array}_2"] == ("FAILED", "1:0"), logs
        assert states[merge] == ("COMPLETED", "0:0"), logs + slurm.logs()
        assert "shard 1/2 of a1_convolution" in logs and "shard 2/2 of a1_convolution" in logs

        grades = hf.read_grades(root, A1)  # the merged export, where one machine would have written it
        servers.check_a1_grades(grades, kinds)
        snapshot = servers.gradebook_snapshot(url, COURSE_ID, A1)
    graded = sorted(s for s, kind in kinds.items() if kind != "malformed")
    assert sorted(snapshot["students"]) == graded == snapshot["student_ids"]
    assert snapshot["rows"]["submitted_assignment"] == len(graded) and snapshot["rows"]["assignment"] == 1
    for student in graded:
        assert (root / "feedback" / student / A1 / f"{A1}.html").exists()
        assert float(grades[student]["auto_score"]) == sum(
            g[1] for nb in snapshot["students"][student].values() for g in nb["grades"] if g[1] is not None
        )
