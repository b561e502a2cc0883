"""Moderation: hide/restore, lock/unlock, flags, annotations — services, pages and the log."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actionsets import services as set_services
from actionsets.models import Reply, Revision
from facilitation import services
from facilitation.models import Annotation, Code, CodingScheme, Flag
from actionsets.models import ModerationAction

Action = ModerationAction.Action


def url(name, action_set, **kwargs):
    return reverse(f"facilitation:{name}", kwargs={"set_slug": action_set.slug, **kwargs})


def logged(action):
    return ModerationAction.objects.filter(action=action)


# --- Hide / restore ---------------------------------------------------------------------------


def test_hiding_keeps_the_text_and_logs_who_and_why(question, facilitator):
    services.hide_reply(actor=facilitator, reply=question, reason="Names a colleague")
    question.refresh_from_db()
    assert question.hidden and question.body == "What have you tried so far?"
    assert (question.hidden_reason, question.hidden_by) == ("Names a colleague", facilitator)
    entry = logged(Action.HIDE).get()
    assert (entry.actor, entry.target_type, entry.target_id, entry.reason) == (facilitator, "reply", question.pk,
                                                                               "Names a colleague")


def test_hiding_needs_a_reason_and_a_facilitator(question, facilitator, learner):
    with pytest.raises(ValidationError, match="author will see"):
        services.hide_reply(actor=facilitator, reply=question, reason="  ")
    with pytest.raises(ValidationError, match="facilitators"):
        services.hide_reply(actor=learner, reply=question, reason="I don't like it")
    assert not Reply.objects.get(pk=question.pk).hidden and not ModerationAction.objects.exists()


def test_restoring_brings_it_back_and_logs_the_old_reason(question, facilitator):
    services.hide_reply(actor=facilitator, reply=question, reason="Names a colleague")
    services.restore_reply(actor=facilitator, reply=question, reason="Edited by the author")
    question.refresh_from_db()
    assert not question.hidden and question.hidden_reason == ""
    entry = logged(Action.RESTORE).get()
    assert entry.detail["hidden_reason"] == "Names a colleague" and entry.reason == "Edited by the author"
    with pytest.raises(ValidationError, match="not hidden"):
        services.restore_reply(actor=facilitator, reply=question)


def test_hide_button_on_the_thread_hides_and_returns_to_the_reply(client, facilitator, question, action_set):
    client.force_login(facilitator)
    response = client.post(url("reply_hide", action_set, reply_id=question.pk),
                           {"reason": "Names a colleague", "next": f"{question.airtime.get_absolute_url()}#reply-{question.pk}"})
    assert response.status_code == 302 and response["Location"].endswith(f"#reply-{question.pk}")
    assert Reply.objects.get(pk=question.pk).hidden


def test_hide_without_a_reason_says_why_and_changes_nothing(client, facilitator, question, action_set):
    client.force_login(facilitator)
    response = client.post(url("reply_hide", action_set, reply_id=question.pk), {"reason": ""}, follow=True)
    assert "Say why you are hiding it" in response.content.decode()
    assert not Reply.objects.get(pk=question.pk).hidden


def test_next_cannot_redirect_off_the_set(client, facilitator, question, action_set):
    client.force_login(facilitator)
    for evil in ["https://evil.example/", "//evil.example/sets/set-a/", "/sets/set-b/"]:
        response = client.post(url("reply_hide", action_set, reply_id=question.pk), {"reason": "x", "next": evil})
        assert response["Location"].startswith(f"/sets/{action_set.slug}/airtime/")
        services.restore_reply(actor=facilitator, reply=question)


# --- Thread: tombstone, author, facilitator -----------------------------------------------------


@pytest.fixture
def hidden(question, facilitator):
    return services.hide_reply(actor=facilitator, reply=question, reason="Names a colleague")


def test_members_see_a_tombstone_not_the_text(client, hidden, learner, airtime):
    client.force_login(learner)
    page = client.get(airtime.get_absolute_url()).content.decode()
    assert "Hidden by the facilitator" in page
    assert "What have you tried so far?" not in page and "Names a colleague" not in page


def test_the_author_sees_their_post_and_the_reason(client, hidden, learner2, airtime):
    client.force_login(learner2)
    page = client.get(airtime.get_absolute_url()).content.decode()
    assert "What have you tried so far?" in page and "Names a colleague" in page


def test_facilitators_see_everything_and_a_restore_form(client, hidden, facilitator, airtime, action_set):
    client.force_login(facilitator)
    page = client.get(airtime.get_absolute_url()).content.decode()
    assert "What have you tried so far?" in page and "Names a colleague" in page
    assert url("reply_restore", action_set, reply_id=hidden.pk) in page


def test_facilitator_tools_are_not_on_a_learners_thread(client, learner, question, airtime):
    client.force_login(learner)
    page = client.get(airtime.get_absolute_url()).content.decode()
    assert "/facilitate/" not in page and "Code or hide" not in page
    assert reverse("facilitation:flag", args=[airtime.action_set.slug, airtime.pk, question.pk]) in page


def test_summary_posts_by_the_facilitator_stand_out(client, facilitator, airtime, learner):
    set_services.post_reply(author=facilitator, airtime=airtime, kind=Reply.Kind.SUMMARY, body="So far: two threads.")
    client.force_login(learner)
    page = client.get(airtime.get_absolute_url()).content.decode()
    assert 'reply--summary' in page and "badge--facilitator" in page


def test_facilitators_hide_instead_of_editing_no_edit_link_and_the_edit_url_is_404(
    client, facilitator, question, airtime, action_set
):
    client.force_login(facilitator)
    edit = reverse("actionsets:reply_edit", args=[action_set.slug, airtime.pk, question.pk])
    airtime_edit = reverse("actionsets:airtime_edit", args=[action_set.slug, airtime.pk])
    page = client.get(airtime.get_absolute_url()).content.decode()
    assert edit not in page and airtime_edit not in page
    assert url("reply_hide", action_set, reply_id=question.pk) in page  # hiding is what they do instead
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"body": "What have you tried?", "reason": "Removed a name"}).status_code == 404
    assert client.post(airtime_edit, {"title": "x", "body": "y", "reason": "z"}).status_code == 404
    question.refresh_from_db()
    assert question.body == "What have you tried so far?" and not Revision.objects.exists()
    assert not logged(Action.EDIT).exists()


# --- Lock / unlock -------------------------------------------------------------------------------


def test_a_locked_airtime_takes_no_replies_until_unlocked(client, facilitator, airtime, learner2, action_set):
    client.force_login(facilitator)
    client.post(url("airtime_lock", action_set, airtime_id=airtime.pk), {"reason": "Cooling off"})
    airtime.refresh_from_db()
    assert airtime.locked and logged(Action.LOCK).get().reason == "Cooling off"
    with pytest.raises(ValidationError, match="locked"):
        set_services.post_reply(author=learner2, airtime=airtime, body="Still there?")
    client.post(url("airtime_unlock", action_set, airtime_id=airtime.pk))
    airtime.refresh_from_db()
    assert not airtime.locked and logged(Action.UNLOCK).exists()
    set_services.post_reply(author=learner2, airtime=airtime, body="Still there?")


def test_locking_twice_is_refused_with_a_message(facilitator, airtime):
    services.lock_airtime(actor=facilitator, airtime=airtime)
    with pytest.raises(ValidationError, match="already locked"):
        services.lock_airtime(actor=facilitator, airtime=airtime)


# --- Flags ----------------------------------------------------------------------------------------


def test_a_member_flags_a_reply_with_a_reason(client, learner, question, airtime, action_set):
    client.force_login(learner)
    flag_url = reverse("facilitation:flag", args=[action_set.slug, airtime.pk, question.pk])
    assert "What have you tried so far?" in client.get(flag_url).content.decode()
    response = client.post(flag_url, {"reason": "Names my manager"})
    assert response.status_code == 302
    flag = Flag.objects.get()
    assert (flag.flagged_by, flag.reason, flag.resolved_at) == (learner, "Names my manager", None)
    assert logged(Action.FLAG).get().actor == learner


def test_flagging_without_a_reason_or_twice_gets_a_clear_message(client, learner, question, airtime, action_set):
    client.force_login(learner)
    flag_url = reverse("facilitation:flag", args=[action_set.slug, airtime.pk, question.pk])
    assert client.post(flag_url, {"reason": ""}).status_code == 400
    client.post(flag_url, {"reason": "Names my manager"})
    response = client.post(flag_url, {"reason": "Again"})
    assert response.status_code == 400 and "already flagged" in response.content.decode()
    assert Flag.objects.count() == 1


def test_flagging_is_rate_limited(client, learner, airtime, action_set, settings, learner2):
    settings.ACTIONSETS_RATE_LIMITS = {**settings.ACTIONSETS_RATE_LIMITS, "flag": "2/h"}
    replies = [set_services.post_reply(author=learner2, airtime=airtime, body=f"Question {n}?") for n in range(3)]
    client.force_login(learner)
    codes = [client.post(reverse("facilitation:flag", args=[action_set.slug, airtime.pk, r.pk]), {"reason": "Rude"}).status_code
             for r in replies]
    assert codes == [302, 302, 429]
    assert Flag.objects.count() == 2


def test_resolving_as_hidden_hides_the_reply_and_resolves_every_open_flag_on_it(
    client, facilitator, flag, question, learner, action_set
):
    from tests.factories import MembershipFactory

    other = MembershipFactory(action_set=action_set).user
    second = services.flag_reply(member=other, reply=question, reason="Same")
    client.force_login(facilitator)
    queue = client.get(url("moderation", action_set)).content.decode()
    assert "Names my manager" in queue and "What have you tried so far?" in queue
    response = client.post(url("flag_resolve", action_set, flag_id=flag.pk), {"outcome": "hidden", "note": ""}, follow=True)
    assert "author sees" in response.content.decode() or "author will see" in response.content.decode()
    assert not Reply.objects.get(pk=question.pk).hidden
    client.post(url("flag_resolve", action_set, flag_id=flag.pk), {"outcome": "hidden", "note": "Names a manager"})
    assert Reply.objects.get(pk=question.pk).hidden_reason == "Names a manager"
    assert set(Flag.objects.values_list("outcome", flat=True)) == {"hidden"}
    assert Flag.objects.filter(pk__in=[flag.pk, second.pk], resolved_by=facilitator).count() == 2
    assert logged(Action.RESOLVE_FLAG).count() == 2 and logged(Action.HIDE).count() == 1
    with pytest.raises(ValidationError, match="already resolved"):
        services.resolve_flag(actor=facilitator, flag=flag, outcome="kept")


def test_resolving_as_kept_leaves_the_reply_alone(facilitator, flag, question):
    services.resolve_flag(actor=facilitator, flag=flag, outcome=Flag.Outcome.KEPT, note="Fine in context")
    assert not Reply.objects.get(pk=question.pk).hidden
    assert Flag.objects.get().resolution_note == "Fine in context"


# --- Annotations -------------------------------------------------------------------------------


def test_the_default_coding_scheme_ships(db):
    scheme = CodingScheme.objects.get(is_default=True)
    assert list(scheme.codes.values_list("label", flat=True)) == [
        "Questioning insight", "Advice-giving", "Reflexive turn", "Assumption surfaced", "Action formed",
        "Emotional support",
    ]


def test_annotating_from_the_thread_and_removing(client, facilitator, question, airtime, action_set, default_code):
    client.force_login(facilitator)
    client.post(url("reply_annotate", action_set, reply_id=question.pk), {"code": default_code.pk, "note": "Good"})
    client.post(url("reply_annotate", action_set, reply_id=question.pk), {"code": default_code.pk, "note": "Better"})
    annotation = Annotation.objects.get()
    assert annotation.note == "Better"  # the same code twice updates the note
    page = client.get(airtime.get_absolute_url()).content.decode()
    assert "Questioning insight" in page and "Better" in page
    client.post(url("annotation_remove", action_set, annotation_id=annotation.pk))
    assert not Annotation.objects.exists()
    assert logged(Action.ANNOTATE).count() == 2 and logged(Action.REMOVE_ANNOTATION).count() == 1


def test_annotations_are_never_shown_to_learners(client, annotation, learner, learner2, airtime):
    for member in (learner, learner2):
        client.force_login(member)
        page = client.get(airtime.get_absolute_url()).content.decode()
        assert "Questioning insight" not in page and "Opened it up" not in page


def test_a_bad_code_gets_a_message(client, facilitator, question, action_set):
    client.force_login(facilitator)
    response = client.post(url("reply_annotate", action_set, reply_id=question.pk), {"code": "999999"}, follow=True)
    assert "valid choice" in response.content.decode()
    assert not Annotation.objects.exists()


def test_codes_from_an_admin_made_scheme_are_accepted(facilitator, question):
    scheme = CodingScheme.objects.create(name="Community of Inquiry")
    code = Code.objects.create(scheme=scheme, slug="exploration", label="Exploration")
    assert services.annotate_reply(facilitator=facilitator, reply=question, code=code).code == code


# --- The log page ------------------------------------------------------------------------------


def test_the_log_lists_actions_with_links_and_reasons(client, facilitator, question, airtime, action_set):
    services.hide_reply(actor=facilitator, reply=question, reason="Names a colleague")
    services.lock_airtime(actor=facilitator, airtime=airtime, reason="Cooling off")
    client.force_login(facilitator)
    page = client.get(url("log", action_set)).content.decode()
    assert "Hid a reply" in page and "Names a colleague" in page and "Locked an airtime" in page
    assert f"/sets/{action_set.slug}/airtime/{airtime.pk}/#reply-{question.pk}" in page


def test_the_log_is_paginated(client, facilitator, airtime, action_set):
    for _ in range(30):
        services.lock_airtime(actor=facilitator, airtime=airtime)
        services.unlock_airtime(actor=facilitator, airtime=airtime)
    client.force_login(facilitator)
    first = client.get(url("log", action_set)).content.decode()
    assert "Page 1 of 2" in first and "?page=2" in first
    assert client.get(url("log", action_set) + "?page=2").status_code == 200


def test_an_over_long_reason_is_refused_with_a_message_not_dropped(client, facilitator, airtime, action_set):
    client.force_login(facilitator)
    response = client.post(url("airtime_lock", action_set, airtime_id=airtime.pk), {"reason": "x" * 501}, follow=True)
    assert "under 500 characters" in response.content.decode()
    airtime.refresh_from_db()
    assert not airtime.locked
