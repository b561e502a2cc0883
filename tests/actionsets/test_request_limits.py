"""Request bodies are bounded deliberately (config/settings.py, DATA_UPLOAD_*): an oversized or
field-flooded POST is refused with 400 before any view or renderer runs, and nothing is saved.
The enrolment CSV is a file upload, outside these limits, and still goes through."""

import pytest
from django.conf import settings
from django.urls import reverse

from actionsets.models import Reply

pytestmark = pytest.mark.django_db


def _reply_url(action_set, airtime):
    return reverse("actionsets:reply", kwargs={"set_slug": action_set.slug, "airtime_id": airtime.pk})


def test_the_limits_are_set_deliberately():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2 * 12 * settings.MARKDOWN_MAX_CHARS + 64 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 200


def test_an_oversized_post_is_refused_cleanly(client, learner2, airtime, action_set):
    client.force_login(learner2)
    padding = "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE  # a short reply, a large body
    response = client.post(_reply_url(action_set, airtime), {"body": "A question?", "padding": padding})
    assert response.status_code == 400
    assert not Reply.objects.exists()


def test_a_post_at_the_markdown_limit_in_four_byte_characters_fits(client, learner2, airtime, action_set):
    client.force_login(learner2)
    body = "\U0001F600" * settings.MARKDOWN_MAX_CHARS  # 12 bytes each once percent-encoded
    response = client.post(_reply_url(action_set, airtime), {"body": body})
    assert response.status_code == 302
    assert len(Reply.objects.get().body) == settings.MARKDOWN_MAX_CHARS


def test_a_post_flooded_with_fields_is_refused_cleanly(client, learner2, airtime, action_set):
    client.force_login(learner2)
    data = {"body": "A question?", **{f"f{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}}
    response = client.post(_reply_url(action_set, airtime), data)
    assert response.status_code == 400
    assert not Reply.objects.exists()


def test_the_preview_too_is_bounded_by_the_request_limit(client, learner):
    client.force_login(learner)
    response = client.post("/markdownx/markdownify/", {"content": "[" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    assert response.status_code == 400
