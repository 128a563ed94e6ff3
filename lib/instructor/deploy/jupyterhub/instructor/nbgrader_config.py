"""nbgrader configuration of the instructor's JupyterLab on the class's hub.

The hub puts this folder on the instructor's JUPYTER_CONFIG_PATH and sets CNN_HUB_COURSE_DIR (the
course in the instructor's home) and CNN_HUB_EXCHANGE (the class's shared exchange). The course's own
nbgrader_config.py is read first, unchanged (source and release folders, course id, the grading
pipeline, feedback); only the exchange moves: the course's default, <course>/exchange, sits in the
instructor's private home, where students could neither fetch nor submit.

The formgrader reads this file because the instructor's server starts in the home folder, which holds
no nbgrader_config.py of its own. nbgrader run in a terminal from inside the course folder reads the
course's file last and so uses <course>/exchange: release and collect from the formgrader, or pass
--Exchange.root="$CNN_HUB_EXCHANGE".
"""

import os

c = get_config()  # noqa: F821 - injected by nbgrader/traitlets when this file is loaded

load_subconfig(os.path.join(os.environ["CNN_HUB_COURSE_DIR"], "nbgrader_config.py"))  # noqa: F821
c.Exchange.root = os.environ["CNN_HUB_EXCHANGE"]
