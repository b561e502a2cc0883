"""Settings for the test suite: the normal settings with the test flag on."""

import os

os.environ.setdefault("ACTIONSETS_TESTING", "1")

from .settings import *  # noqa: E402,F403

# Tests run tasks in-process even when the environment names a broker (CI sets REDIS_URL);
# the integration tests start a real worker for themselves.
CELERY_TASK_ALWAYS_EAGER = True
