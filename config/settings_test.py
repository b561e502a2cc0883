"""Settings for the test suite: the normal settings with the test flag on."""

import os

os.environ.setdefault("ACTIONSETS_TESTING", "1")

from .settings import *  # noqa: E402,F403
