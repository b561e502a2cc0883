"""The digest benchmark at a tiny size, so it keeps working (the real run: bench/digest_bench.py)."""

import pytest

from bench import digest_bench
from engagement.models import DigestDelivery, OutboundEmail


@pytest.mark.django_db
def test_the_digest_benchmark_runs_and_every_batch_costs_the_same(mailoutbox):
    seeded = digest_bench.seed(users=70, sets=7, replies=600)
    result = digest_bench.run()

    assert (seeded.users, seeded.sets, seeded.airtimes, seeded.replies) == (70, 7, 42, 600)
    assert result.due == 70 and result.batches == 3
    assert result.sent > 50 and result.sent + result.empty == 70
    assert len(set(result.batch_queries)) == 1, result.batch_queries  # the same for every batch
    assert OutboundEmail.objects.filter(status="sent").count() == result.sent == len(mailoutbox)
    assert DigestDelivery.objects.count() == 70
    assert "TOTAL:" in digest_bench.report(seeded, result, "sqlite")
