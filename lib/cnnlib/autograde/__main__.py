"""Entry point: ``python -m cnnlib.autograde <assignment> --workers 2 [--course-dir DIR]``."""

import sys

from cnnlib.autograde.cli import main

sys.exit(main())
