"""Drafts (issue 14, part 3): save as an upsert per person and place, discard, posting removes the
draft, the access and length checks, the purge 30 days after the round closes."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from actionsets import selectors, services
from actionsets.models import Draft

from ..factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def airtime(action_set, open_round, learner):
    return services.present_airtime(presenter=learner, action_set=action_set, title="Deadlines",
                                    body="My team keeps missing the internal grant deadline.")


def test_save_is_an_upsert_per_place(action_set, airtime, learner2):
    first = services.save_draft(author=learner2, action_set=action_set, airtime=airtime, body="What have you")
    second = services.save_draft(author=learner2, action_set=action_set, airtime=airtime, body="What have you tried?")
    assert first.pk == second.pk and Draft.objects.count() == 1
    assert selectors.draft_for(learner2, action_set=action_set, airtime=airtime).body == "What have you tried?"
    assert second.round_id == airtime.round_id


def test_a_reply_to_a_reply_is_its_own_place(action_set, airtime, learner, learner2):
    question = services.post_reply(author=learner2, airtime=airtime, body="What deadline is it?")
    services.save_draft(author=learner, action_set=action_set, airtime=airtime, parent=question, body="The May one.")
    services.save_draft(author=learner, action_set=action_set, airtime=airtime, body="Something for everyone")
    drafts = selectors.drafts_in_thread(learner, airtime)
    assert drafts[question.pk].body == "The May one." and drafts[None].body == "Something for everyone"
    assert selectors.drafts_in_thread(learner2, airtime) == {}


def test_posting_removes_the_draft_of_that_place_only(action_set, airtime, learner, learner2):
    question = services.post_reply(author=learner2, airtime=airtime, body="What deadline is it?")
    services.save_draft(author=learner, action_set=action_set, airtime=airtime, parent=question, body="The May one.")
    services.save_draft(author=learner, action_set=action_set, airtime=airtime, body="A note to all")
    services.post_reply(author=learner, airtime=airtime, parent=question, body="The May one, really.")
    assert list(Draft.objects.values_list("body", flat=True)) == ["A note to all"]


def test_presenting_removes_the_airtime_draft(action_set, open_round, learner2):
    services.save_draft(author=learner2, action_set=action_set, body="Half an airtime", title="Half")
    draft = selectors.draft_for(learner2, action_set=action_set, round=open_round)
    assert draft.title == "Half" and draft.is_airtime_draft
    services.present_airtime(presenter=learner2, action_set=action_set, title="Whole", body="A whole airtime")
    assert not Draft.objects.exists()


def test_an_empty_box_discards(action_set, airtime, learner2):
    services.save_draft(author=learner2, action_set=action_set, airtime=airtime, body="Something")
    assert services.save_draft(author=learner2, action_set=action_set, airtime=airtime, body="  ") is None
    assert not Draft.objects.exists()


def test_discard_removes_only_the_writers_own(action_set, airtime, learner, learner2):
    services.save_draft(author=learner2, action_set=action_set, airtime=airtime, body="Mine")
    assert services.discard_draft(author=learner, action_set=action_set, airtime=airtime) is False
    assert services.discard_draft(author=learner2, action_set=action_set, airtime=airtime) is True
    assert not Draft.objects.exists()


def test_length_limit_and_access_are_checked(settings, action_set, other_set, airtime, learner2, outsider,
                                             removed_member):
    settings.MARKDOWN_MAX_CHARS = 20
    with pytest.raises(ValidationError):
        services.save_draft(author=learner2, action_set=action_set, airtime=airtime, body="x" * 21)
    for person in (outsider, removed_member):
        with pytest.raises(ValidationError):
            services.save_draft(author=person, action_set=action_set, airtime=airtime, body="hello")
    with pytest.raises(ValidationError):  # an airtime of another set, named under the outsider's set
        services.save_draft(author=outsider, action_set=other_set, airtime=airtime, body="hello")
    assert not Draft.objects.exists()


def test_ground_rules_first(action_set, airtime):
    newcomer = MembershipFactory(action_set=action_set, ground_rules_accepted_at=None).user
    with pytest.raises(ValidationError):
        services.save_draft(author=newcomer, action_set=action_set, airtime=airtime, body="hello")


def test_a_parent_from_another_thread_is_refused(action_set, airtime, learner, learner2):
    other = services.present_airtime(presenter=learner2, action_set=action_set, title="T", body="B",
                                     now=timezone.now() - timedelta(hours=1))
    reply = services.post_reply(author=learner, airtime=other, body="What happened?")
    with pytest.raises(ValidationError):
        services.save_draft(author=learner, action_set=action_set, airtime=airtime, parent=reply, body="x")


def test_purge_30_days_after_the_round_closes_is_idempotent(action_set, airtime, learner2):
    services.save_draft(author=learner2, action_set=action_set, airtime=airtime, body="Kept for a while")
    closes = airtime.round.closes_at
    assert services.purge_drafts(now=closes + timedelta(days=29, hours=23)) == 0
    assert services.purge_drafts(now=closes + timedelta(days=30)) == 1
    assert services.purge_drafts(now=closes + timedelta(days=30)) == 0
    assert not Draft.objects.exists()


def test_purge_command(action_set, airtime, learner2, capsys):
    services.save_draft(author=learner2, action_set=action_set, airtime=airtime, body="Old")
    airtime.round.__class__.objects.filter(pk=airtime.round_id).update(
        opens_at=timezone.now() - timedelta(days=60), closes_at=timezone.now() - timedelta(days=31))
    call_command("purge_drafts")
    assert "1" in capsys.readouterr().out and not Draft.objects.exists()


def test_purge_task_is_on_the_beat_schedule(settings, action_set, airtime, learner2):
    from actionsets.tasks import purge_drafts_task

    entry = settings.CELERY_BEAT_SCHEDULE["purge-drafts"]
    assert entry["task"] == "actionsets.tasks.purge_drafts_task"
    services.save_draft(author=learner2, action_set=action_set, airtime=airtime, body="Recent")
    assert purge_drafts_task() == 0 and Draft.objects.count() == 1
