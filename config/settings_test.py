"""Settings for the test suite: the normal settings with the test flag on."""

import os

os.environ.setdefault("ACTIONSETS_TESTING", "1")

from .settings import *  # noqa: E402,F403

# Tasks run in-process in tests even when CI exports REDIS_URL; the integration tests that need
# a real worker on the real broker override this.
CELERY_TASK_ALWAYS_EAGER = True
# Live-server threads must not keep connections open past a test, or PostgreSQL cannot drop the
# test database at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# Uploaded files go to a folder of this run's own, never the checkout's media/.
import atexit  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="actionsets-media-"))  # noqa: F405
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
if "location" in STORAGES["attachments"]["OPTIONS"]:  # noqa: F405
    STORAGES["attachments"]["OPTIONS"]["location"] = MEDIA_ROOT / "attachments"  # noqa: F405
