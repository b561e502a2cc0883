"""Settings for the test suite: the normal settings with the test flag on."""

import os
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("ACTIONSETS_TESTING", "1")


def _per_worker_redis() -> None:
    """Give each pytest-xdist worker its own Redis database (gw0 keeps the given one, gw1 the one
    below it, …), so that rate-limit counters, cache keys and the Celery broker of one worker are
    never seen by another. Both variables are rewritten before settings read them, so the Celery
    workers and servers that tests start inherit the same database."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    # Processes a test starts inherit both the worker id and the rewritten URLs: shift once only.
    if not worker.startswith("gw") or os.environ.get("ACTIONSETS_REDIS_SHIFTED") == worker:
        return
    os.environ["ACTIONSETS_REDIS_SHIFTED"] = worker
    index = int(worker[2:])
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        url = os.environ.get(name, "")
        if not url.startswith("redis://"):  # unset (no Redis in this run) or not Redis
            continue
        parts = urlsplit(url)
        db = int(parts.path.strip("/") or 0)
        os.environ[name] = urlunsplit(parts._replace(path=f"/{(db - index) % 16}"))


_per_worker_redis()

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
