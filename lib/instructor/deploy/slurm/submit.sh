#!/bin/bash
# Grade a class on a Slurm cluster: an array of N shards, then one job that merges their CSV parts.
#
#   deploy/slurm/submit.sh N ASSIGNMENT COURSE_DIR [GRADING OPTIONS...]
#
# Run it as root (the grading sandbox needs root, so the jobs must run as root) from a node that can
# submit jobs. CPUS_PER_SHARD (default 1) sets each task's CPUs, and so its grading workers; other
# sbatch options come from sbatch's own environment variables (SBATCH_PARTITION, SBATCH_TIMELIMIT, ...).
# Prints the two job ids. The merged export is COURSE_DIR/grades-ASSIGNMENT.csv; the merge job fails,
# and writes nothing, if a student is missing from every part or appears in two.
set -euo pipefail

n=${1:?usage: submit.sh N ASSIGNMENT COURSE_DIR [GRADING OPTIONS...]}
assignment=${2:?usage: submit.sh N ASSIGNMENT COURSE_DIR [GRADING OPTIONS...]}
course=$(cd "${3:?usage: submit.sh N ASSIGNMENT COURSE_DIR [GRADING OPTIONS...]}" && pwd)
shift 3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=${CNN_COURSE_PYTHON:-$course/.venv/bin/python}
export CNN_COURSE_PYTHON=$python

# Parts left by an earlier run must not stand in for a shard that fails before writing its own.
rm -f "$course/grades-$assignment-shard-"*"-of-"*".csv"
array=$(sbatch --parsable --array="1-$n" --cpus-per-task="${CPUS_PER_SHARD:-1}" \
    --chdir="$course" --output="$course/cnn-autograde-%A_%a.out" \
    "$here/autograde-array.sbatch" "$assignment" "$course" "$@")
array=${array%%;*}

parts=()
for k in $(seq 1 "$n"); do
    parts+=("$course/grades-$assignment-shard-$k-of-$n.csv")
done
# afterany: a shard that exits 1 (some submissions could not be graded) still wrote its part.
merge=$(sbatch --parsable --dependency="afterany:$array" --job-name=cnn-autograde-merge \
    --chdir="$course" --output="$course/cnn-autograde-merge-%j.out" \
    "$here/merge_grades.py" --out "$course/grades-$assignment.csv" \
    --submitted "$course/submitted" --assignment "$assignment" "${parts[@]}")
merge=${merge%%;*}
echo "array job $array ($n shards of $assignment), merge job $merge"
