"""Daily and weekly digests (docs/engagement.md). See docs/engagement.md."""

from .content import Digest, SetDigest, build_digests
from .delivery import (
    BATCH_SIZE, BatchResult, digest_email, dispatch_digests, due_user_ids, record_digests, run_digest_batch,
)

__all__ = [
    "BATCH_SIZE", "BatchResult", "Digest", "SetDigest", "build_digests", "digest_email", "dispatch_digests",
    "due_user_ids", "record_digests", "run_digest_batch",
]
