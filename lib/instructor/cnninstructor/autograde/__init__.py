"""The instructor's grading command: nbgrader autograding whose verdicts no submission can fool.

Run ``python -m cnninstructor.autograde <assignment> --workers 2`` from the course folder. Modules:

cli          the command: find submissions, run the worker pool, print a status line per student, export grades
submissions  inspect each submission first (only regular files; malformed, missing, renamed, stripped, deleted cells)
workers      per-worker scratch courses where nbgrader's own Autograde runs in-process
execute      ``GradingExecute``: nbgrader's Execute deciding verdicts outside the kernel, with budgets and recovery
verdict      comparing a student's answers with the solution's, the one place a test cell's verdict is decided
cells        test cells and their visible and hidden parts
protocol     the exit status, answer exchange, report and reference file between grader and kernel
sandbox      the kernel launcher: namespaces, an unprivileged user, a memory cgroup, resource limits
export       statuses, the CSV export, merging into the course gradebook
"""
