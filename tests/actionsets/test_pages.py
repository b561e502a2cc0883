"""The learner's journey through the pages, and the bad-input rules."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actionsets import services
from actionsets.models import ActionCommitment, Airtime, Reply, Revision


def url(name, **kwargs):
    return reverse(f"actionsets:{name}", kwargs=kwargs)


def test_home_shows_my_set_round_unread_and_commitments(client, learner2, airtime, commitment, action_set):
    client.force_login(learner2)
    page = client.get("/").content.decode()
    assert "Set A" in page and "Round 1" in page
    assert "1</strong> airtime" in page  # learner2 has not read learner's airtime


def test_member_must_accept_rules_before_presenting(client, action_set, open_round, learner):
    membership = learner.memberships.get()
    membership.ground_rules_accepted_at = None
    membership.save()
    client.force_login(learner)
    response = client.get(url("airtime_new", set_slug=action_set.slug))
    assert response.status_code == 302 and response["Location"].endswith("/rules/")
    client.post(url("rules", set_slug=action_set.slug))
    membership.refresh_from_db()
    assert membership.ground_rules_accepted_at is not None
    assert client.get(url("airtime_new", set_slug=action_set.slug)).status_code == 200


def test_presenting_creates_the_airtime_and_redirects_to_it(client, action_set, open_round, learner):
    client.force_login(learner)
    response = client.post(url("airtime_new", set_slug=action_set.slug),
                           {"title": "Feedback to a senior colleague", "body": "How do I *start*?"})
    airtime = Airtime.objects.get()
    assert response["Location"] == airtime.get_absolute_url()
    assert airtime.body_html == "<p>How do I <em>start</em>?</p>"


def test_second_airtime_in_a_round_gets_a_clear_message(client, airtime, learner, action_set):
    client.force_login(learner)
    response = client.post(url("airtime_new", set_slug=action_set.slug), {"title": "Again", "body": "Twice"})
    assert response.status_code == 200
    assert "already presented in round 1" in response.content.decode()
    assert Airtime.objects.count() == 1


def test_oversized_post_is_refused_and_the_text_stays_in_the_form(client, airtime, learner2, action_set):
    client.force_login(learner2)
    body = "Why? " * 10_001
    response = client.post(url("reply", set_slug=action_set.slug, airtime_id=airtime.pk),
                           {"body": body, "kind": "question"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "the limit is 50,000" in page
    assert "Why? Why? Why?" in page  # nothing the member typed is lost
    assert Reply.objects.count() == 0


def test_empty_reply_gets_a_message(client, airtime, learner2, action_set):
    client.force_login(learner2)
    response = client.post(url("reply", set_slug=action_set.slug, airtime_id=airtime.pk), {"body": "  "})
    assert response.status_code == 400
    assert Reply.objects.count() == 0


def test_threaded_reply_posts_and_lands_on_the_new_reply(client, question, learner, airtime, action_set):
    client.force_login(learner)
    response = client.post(url("reply", set_slug=action_set.slug, airtime_id=airtime.pk),
                           {"body": "We tried a shared calendar.", "parent": question.pk})
    reply = Reply.objects.get(parent=question)
    assert reply.kind == Reply.Kind.RESPONSE
    assert response["Location"].endswith(f"#reply-{reply.pk}")


def test_parent_from_another_thread_is_404(client, question, learner2, action_set, facilitator):
    other = services.present_airtime(presenter=learner2, action_set=action_set, title="Mine", body="Body")
    client.force_login(facilitator)
    response = client.post(url("reply", set_slug=action_set.slug, airtime_id=other.pk),
                           {"body": "Hello", "kind": "question", "parent": question.pk})
    assert response.status_code == 400
    assert "another thread" in response.content.decode()


def test_unknown_parent_id_is_404(client, airtime, learner2, action_set):
    client.force_login(learner2)
    response = client.post(url("reply", set_slug=action_set.slug, airtime_id=airtime.pk),
                           {"body": "Hello?", "parent": 999999})
    assert response.status_code == 404


def test_closed_round_takes_no_new_questions(client, airtime, learner2, action_set, open_round):
    open_round.closes_at = timezone.now() - timedelta(minutes=1)
    open_round.opens_at = open_round.closes_at - timedelta(days=14)
    open_round.save()
    client.force_login(learner2)
    page = client.get(airtime.get_absolute_url()).content.decode()
    assert "takes no new replies" in page
    response = client.post(url("reply", set_slug=action_set.slug, airtime_id=airtime.pk),
                           {"body": "Late question?", "kind": "question"})
    assert response.status_code == 400
    assert Reply.objects.count() == 0


def test_thread_marks_new_replies_since_my_last_visit(client, airtime, learner, learner2, action_set):
    client.force_login(learner)
    client.get(airtime.get_absolute_url())
    services.post_reply(author=learner2, airtime=airtime, body="What would success look like?")
    page = client.get(airtime.get_absolute_url()).content.decode()
    assert "reply--new" in page
    page = client.get(airtime.get_absolute_url()).content.decode()
    assert "reply--new" not in page


def test_reply_link_preselects_parent_without_javascript(client, question, learner, airtime):
    client.force_login(learner)
    page = client.get(f"{airtime.get_absolute_url()}?reply_to={question.pk}").content.decode()
    # The presenter answers through the "Answering" list of unanswered questions.
    assert f'<option value="{question.pk}" selected>' in page
    assert "Replying to" in page


def test_editing_keeps_a_revision_and_shows_edited(client, own_reply, learner, airtime, action_set, facilitator):
    client.force_login(learner)
    client.post(url("reply_edit", set_slug=action_set.slug, airtime_id=airtime.pk, reply_id=own_reply.pk),
                {"body": "A shared calendar, and a weekly stand-up.", "reason": "Added detail"})
    revision = Revision.objects.get(reply=own_reply)
    assert revision.body == "A shared calendar." and revision.reason == "Added detail"
    assert "edited" in client.get(airtime.get_absolute_url()).content.decode()
    client.force_login(facilitator)
    history = client.get(url("reply_history", set_slug=action_set.slug, airtime_id=airtime.pk, reply_id=own_reply.pk))
    assert "A shared calendar." in history.content.decode()


def test_member_cannot_edit_someone_elses_reply(client, question, learner, airtime, action_set):
    client.force_login(learner)
    response = client.get(url("reply_edit", set_slug=action_set.slug, airtime_id=airtime.pk, reply_id=question.pk))
    assert response.status_code == 404


def test_presenter_records_a_commitment_and_reports_back(client, airtime, learner, action_set):
    client.force_login(learner)
    client.post(url("commitment_new", set_slug=action_set.slug, airtime_id=airtime.pk),
                {"text": "Ask Sam for 20 minutes"})
    commitment = ActionCommitment.objects.get()
    assert commitment.owner == learner
    client.post(url("commitment_report", set_slug=action_set.slug, commitment_id=commitment.pk),
                {"status": "done", "report_back": "Sam agreed to the rota."})
    commitment.refresh_from_db()
    assert commitment.status == "done" and commitment.reported_at
    page = client.get(url("commitments", set_slug=action_set.slug)).content.decode()
    assert "Sam agreed to the rota." in page


def test_non_presenter_cannot_record_commitments(client, airtime, learner2, action_set):
    client.force_login(learner2)
    client.post(url("commitment_new", set_slug=action_set.slug, airtime_id=airtime.pk), {"text": "Hijack"})
    assert ActionCommitment.objects.count() == 0


def test_preferences_are_saved(client, learner):
    client.force_login(learner)
    response = client.post("/accounts/preferences/", {
        "display_name": "Ana", "timezone": "Pacific/Auckland", "digest_frequency": "weekly",
        "digest_hour": "6", "nudges_enabled": "",
    })
    assert response.status_code == 302
    learner.refresh_from_db()
    assert (learner.display_name, learner.timezone, learner.digest_frequency, learner.digest_hour,
            learner.nudges_enabled) == ("Ana", "Pacific/Auckland", "weekly", 6, False)


def test_markdown_preview_needs_sign_in_and_sanitises(client, learner):
    assert client.post("/markdownx/markdownify/", {"content": "**x**"}).status_code == 302
    client.force_login(learner)
    response = client.post("/markdownx/markdownify/", {"content": "<script>alert(1)</script> **x**"})
    assert response.status_code == 200
    assert b"<script" not in response.content and b"<strong>x</strong>" in response.content


def test_markdown_image_upload_is_off(client, learner):
    client.force_login(learner)
    assert client.post("/markdownx/upload/").status_code == 404


def test_posting_is_rate_limited(client, airtime, learner2, action_set, settings):
    settings.ACTIONSETS_RATE_LIMITS = {**settings.ACTIONSETS_RATE_LIMITS, "post": "2/m"}
    client.force_login(learner2)
    target = url("reply", set_slug=action_set.slug, airtime_id=airtime.pk)
    for n in range(2):
        assert client.post(target, {"body": f"Question {n}?"}).status_code == 302
    response = client.post(target, {"body": "One more?"})
    assert response.status_code == 400 and "posting very quickly" in response.content.decode()
    assert Reply.objects.count() == 2


@pytest.mark.parametrize("path", ["/accounts/signup/"])
def test_public_sign_up_is_closed(client, db, path):
    response = client.get(path)
    assert b"closed" in response.content.lower() or response.status_code in {403, 404}


def test_member_mutes_email_from_a_set(client, learner, action_set):
    client.force_login(learner)
    response = client.post(url("notifications", set_slug=action_set.slug), {"notification_level": "muted"})
    assert response.status_code == 302
    assert learner.memberships.get().notification_level == "muted"
    client.post(url("notifications", set_slug=action_set.slug), {"notification_level": "loud"})
    assert learner.memberships.get().notification_level == "muted"


def test_markdown_images_become_links_with_their_alt_text():
    from actionsets.markdown import render_markdown

    html = render_markdown("![team rota](https://example.org/rota.png)")
    assert "<img" not in html
    assert 'href="https://example.org/rota.png"' in html and "[image: team rota]" in html
