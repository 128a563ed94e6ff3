"""The instructor's grading command: nbgrader autograding that a class of hostile submissions cannot fool.

Run ``python -m cnninstructor.autograde <assignment> --workers 2`` from the course folder. Modules:

cli          the command: find submissions, run workers, print a status line per student, export grades
submissions  inspect each submission first (malformed, missing, renamed, stripped, deleted cells)
workers      per-worker scratch courses where the ordinary ``nbgrader autograde`` runs
execute      ``GuardedExecute``: nbgrader's Execute with CPU budgets, kernel-death recovery, output caps
integrity    probes that detect tampering with the grading code inside the kernel
sandbox      the kernel launcher: namespaces, an unprivileged user, resource limits
export       statuses, the CSV export, merging into the course gradebook
"""
