"""Entry point: ``python -m cnninstructor.autograde <assignment> --workers 2 [--course-dir DIR]``."""

import sys

from cnninstructor.autograde.cli import main

sys.exit(main())
