"""The private reflective journal: only its author reads it (facilitator and staff get 404),
entries link to the author's own airtime, markdown is rendered at save, export as Markdown."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actionsets import services
from actionsets.models import JournalEntry

SECRET = "MY-PRIVATE-THOUGHT about **Sam**"


def _url(name, action_set, **kwargs):
    return reverse(f"actionsets:{name}", kwargs={"set_slug": action_set.slug, **kwargs})


@pytest.fixture
def entry(learner, action_set, airtime):
    return services.write_entry(author=learner, action_set=action_set, body=SECRET, level="reflect",
                               title="After round 1", airtime=airtime)


def test_an_entry_is_rendered_once_at_save_and_linked_to_my_airtime(entry, airtime):
    assert entry.body_html == "<p>MY-PRIVATE-THOUGHT about <strong>Sam</strong></p>"
    assert entry.airtime == airtime and entry.level == JournalEntry.Level.REFLECT


def test_an_entry_cannot_link_to_someone_elses_airtime(learner2, action_set, airtime):
    with pytest.raises(ValidationError) as excinfo:
        services.write_entry(author=learner2, action_set=action_set, body="Mine", airtime=airtime)
    assert "airtime" in excinfo.value.message_dict


def test_outsiders_cannot_write_in_a_sets_journal(outsider, action_set):
    with pytest.raises(ValidationError):
        services.write_entry(author=outsider, action_set=action_set, body="Hello")


@pytest.mark.parametrize("role", ["facilitator", "learner2", "staff", "outsider", "removed_member"])
def test_nobody_but_the_author_reads_an_entry(request, client, entry, action_set, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(_url("journal_entry", action_set, entry_id=entry.pk))
    assert response.status_code == 404
    for name in ("journal", "journal_export"):
        response = client.get(_url(name, action_set))
        assert b"MY-PRIVATE-THOUGHT" not in response.content
    assert not client.post(_url("journal_entry", action_set, entry_id=entry.pk),
                           {"level": "describe", "body": "Overwritten"}).status_code == 302
    entry.refresh_from_db()
    assert entry.body == SECRET


def test_the_author_writes_reads_edits_and_exports(client, learner, action_set, airtime):
    client.force_login(learner)
    page = client.get(_url("journal", action_set)).content.decode()
    assert "Other perspectives" in page and "How might the other people involved describe it?" in page
    response = client.post(_url("journal", action_set), {"level": "describe", "title": "", "airtime": airtime.pk,
                                                         "body": "What *happened*."})
    assert response.status_code == 302
    entry = JournalEntry.objects.get()
    assert "<em>happened</em>" in client.get(_url("journal", action_set)).content.decode()
    response = client.post(_url("journal_entry", action_set, entry_id=entry.pk),
                           {"level": "context", "title": "Wider", "airtime": "", "body": "What it says."})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.level == "context" and entry.airtime is None and entry.edited_at
    export = client.get(_url("journal_export", action_set))
    assert export["Content-Type"].startswith("text/markdown")
    assert 'filename="journal-set-a.md"' in export["Content-Disposition"]
    text = export.content.decode()
    assert text.startswith("# Reflective journal — Set A") and "## Wider" in text and "What it says." in text


def test_a_bad_entry_keeps_the_text(client, learner, action_set):
    client.force_login(learner)
    response = client.post(_url("journal", action_set), {"level": "nonsense", "body": "Keep me"})
    assert response.status_code == 400 and "Keep me" in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_staff_cannot_see_journal_entries_in_the_admin(client, staff, entry):
    client.force_login(staff)
    assert client.get("/admin/actionsets/journalentry/").status_code == 404
