"""nbgrader configuration of a student's JupyterLab on the class's hub.

The hub puts this folder on every student's JUPYTER_CONFIG_PATH and sets CNN_HUB_EXCHANGE. Students
see only this course in the Assignment List; an assignment is fetched into ~/<assignment>/.
"""

import os

c = get_config()  # noqa: F821 - injected by nbgrader/traitlets when this file is loaded

c.CourseDirectory.course_id = "cnn-course"
c.Exchange.root = os.environ["CNN_HUB_EXCHANGE"]
# Validate runs the notebook as the course's grader would (same per-cell wall-clock backstop).
c.Execute.timeout = 240
c.Execute.interrupt_on_timeout = True
