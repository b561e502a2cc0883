"""One length limit for every markdown field and the editor's preview, checked before rendering.

Before issue 11 the preview rendered whatever it was sent (300,000 characters went through) and
the forms let four times the limit reach the services. Now: MARKDOWN_MAX_CHARS, the form field,
the service and the renderer itself each refuse more; the preview answers 413 with a message.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from actionsets import services
from actionsets.forms import ReplyForm
from actionsets.markdown import MarkdownTooLong, render_markdown
from actionsets.models import ActionSet, Reply

pytestmark = pytest.mark.django_db

PREVIEW = "/markdownx/markdownify/"


def test_one_setting_and_the_old_name_still_works():
    assert settings.MARKDOWN_MAX_CHARS == settings.POST_MAX_CHARS == 50_000


def test_the_renderer_refuses_more_than_the_limit_before_rendering(settings):
    settings.MARKDOWN_MAX_CHARS = 10
    assert render_markdown("a" * 10) == "<p>aaaaaaaaaa</p>"
    with pytest.raises(MarkdownTooLong):
        render_markdown("[" * 11)


def test_preview_refuses_more_than_the_limit_with_413_and_says_why(client, learner):
    client.force_login(learner)
    response = client.post(PREVIEW, {"content": "[" * (settings.MARKDOWN_MAX_CHARS + 1)})
    assert response.status_code == 413
    text = response.content.decode()
    assert "Too long to preview" in text and "50,001 characters" in text and "the limit is 50,000" in text


def test_preview_at_the_limit_renders(client, learner):
    client.force_login(learner)
    response = client.post(PREVIEW, {"content": "*" + "a" * (settings.MARKDOWN_MAX_CHARS - 2) + "*"})
    assert response.status_code == 200 and response.content.startswith(b"<p><em>aaa")


def test_preview_of_300k_characters_is_refused_not_rendered(client, learner):
    client.force_login(learner)
    assert client.post(PREVIEW, {"content": "[" * 300_000}).status_code == 413


def test_reply_form_refuses_more_than_the_limit_and_keeps_the_text(client, learner2, airtime, action_set):
    client.force_login(learner2)
    body = "x" * (settings.MARKDOWN_MAX_CHARS + 1)
    response = client.post(reverse("actionsets:reply", kwargs={"set_slug": action_set.slug, "airtime_id": airtime.pk}),
                           {"body": body})
    assert response.status_code == 400
    page = response.content.decode()
    assert "the limit is 50000" in page.replace(",", "") and body in page  # nothing typed is lost
    assert not Reply.objects.exists()


def test_form_counts_a_line_break_as_one_character_as_the_editor_does():
    lines = ["x" * 9] * (settings.MARKDOWN_MAX_CHARS // 10)  # 9 characters + a line break each
    body = "\r\n".join(lines)
    assert len(body) > settings.MARKDOWN_MAX_CHARS >= len(body.replace("\r\n", "\n"))
    form = ReplyForm(data={"body": body})
    assert form.is_valid(), form.errors
    assert "\r" not in form.cleaned_data["body"]


def test_markdown_fields_state_the_limit_in_their_help_text_for_pages_without_javascript():
    assert "Up to 50,000 characters." in ReplyForm().fields["body"].help_text
    assert ReplyForm().fields["body"].widget.attrs["maxlength"] == "50000"


def test_every_markdown_service_refuses_more_than_the_limit(settings, action_set, open_round, learner, learner2,
                                                           facilitator, airtime):
    settings.MARKDOWN_MAX_CHARS = 100
    long = "a" * 101
    late = open_round.closes_at - timedelta(hours=1)
    commitment = services.record_commitment(owner=learner, airtime=airtime, text="Ask Sam")
    calls = [
        lambda: services.present_airtime(presenter=learner2, action_set=action_set, title="T", body=long),
        lambda: services.edit_airtime(editor=learner, airtime=airtime, title="T", body=long),
        lambda: services.post_reply(author=learner2, airtime=airtime, body=long),
        lambda: services.set_ground_rules(action_set=action_set, ground_rules=long),
        lambda: services.report_back(owner=learner, commitment=commitment, status="done", what_happened=long),
        lambda: services.write_entry(author=learner, action_set=action_set, body=long),
        lambda: services.check_in(author=learner2, round=open_round, body=long),
        lambda: services.review_process(author=learner2, round=open_round, what_worked=long, now=late),
        lambda: services.summarise_review(actor=facilitator, round=open_round, summary=long, now=late),
        lambda: services.introduce(author=learner2, action_set=action_set, body=long),
    ]
    for call in calls:
        with pytest.raises(ValidationError, match="the limit is 100"):
            call()
    ActionSet.objects.filter(pk=action_set.pk).update(state=ActionSet.State.FORMING)
    action_set.refresh_from_db()
    with pytest.raises(ValidationError, match="the limit is 100"):
        services.propose_ground_rules(author=learner2, action_set=action_set, text=long)
    assert not Reply.objects.exists()
