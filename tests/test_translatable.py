"""Every word a template shows goes through the translation machinery (issue 18; docs/translating.md).

The checker (tests/i18n/translatable.py) fails on a text node or a human-facing attribute (alt,
title, placeholder, aria-label) outside {% translate %}/{% blocktranslate %}. NOT_YET_CONVERTED
is the remaining work: convert a template, take it off the list (the test fails while a converted
template is still listed, so the list only shrinks).
"""

import pytest

from tests.i18n.translatable import TEMPLATES, template_names, untranslated_text

NOT_YET_CONVERTED = {
    # (top level)
    "404.html", "500.html",
    # account
    "account/delete.html", "account/deleted.html", "account/email/unknown_account_message.txt",
    "account/email/unknown_account_subject.txt", "account/login.html", "account/my_data.html",
    "account/sso_not_enrolled.html",
    # actionsets
    "actionsets/_airtime_list.html", "actionsets/_commitment.html", "actionsets/_draft_buttons.html",
    "actionsets/_draft_status.html", "actionsets/_email_levels.html", "actionsets/_files.html",
    "actionsets/_phase_bar.html", "actionsets/_read_by.html", "actionsets/_reply.html",
    "actionsets/_reply_form.html", "actionsets/_todo.html", "actionsets/_yet_to_ask.html",
    "actionsets/airtime_new.html", "actionsets/commitment_new.html", "actionsets/commitments.html",
    "actionsets/edit.html", "actionsets/history.html", "actionsets/how_rounds_work.html",
    "actionsets/member.html", "actionsets/process/_fac_subnav.html", "actionsets/process/_journal_form.html",
    "actionsets/process/_lifecycle_steps.html", "actionsets/process/continuity.html",
    "actionsets/process/ending.html", "actionsets/process/facilitate.html", "actionsets/process/forming.html",
    "actionsets/process/journal.html", "actionsets/process/journal_entry.html",
    "actionsets/process/lifecycle.html", "actionsets/process/round.html", "actionsets/report_back.html",
    "actionsets/rules.html", "actionsets/search.html", "actionsets/thread.html",
    # allauth
    "allauth/elements/button.html",
    # emails
    "emails/digest.html", "emails/digest.subject.txt", "emails/digest.txt", "emails/invitation.html",
    "emails/invitation.subject.txt", "emails/invitation.txt", "emails/knock.html", "emails/knock.subject.txt",
    "emails/knock.txt", "emails/new_post.html", "emails/new_post.subject.txt", "emails/new_post.txt",
    "emails/notification.html", "emails/notification.txt", "emails/nudge.html", "emails/nudge.subject.txt",
    "emails/nudge.txt", "emails/quiet_escalation.html", "emails/quiet_escalation.subject.txt",
    "emails/quiet_escalation.txt", "emails/reply_draft.html", "emails/reply_draft.subject.txt",
    "emails/reply_draft.txt", "emails/reply_received.html", "emails/reply_received.subject.txt",
    "emails/reply_received.txt", "emails/reply_refused.html", "emails/reply_refused.subject.txt",
    "emails/reply_refused.txt", "emails/round_closing.html", "emails/round_closing.subject.txt",
    "emails/round_closing.txt", "emails/round_open.html", "emails/round_open.subject.txt",
    "emails/round_open.txt",
    # engagement
    "engagement/_effects.html", "engagement/notifications.html", "engagement/unsubscribe_confirm.html",
    "engagement/unsubscribe_done.html", "engagement/unsubscribe_invalid.html",
    # enrolment
    "enrolment/_crumbs.html", "enrolment/allocate.html", "enrolment/allocation.html", "enrolment/batch.html",
    "enrolment/cohort.html", "enrolment/cohort_form.html", "enrolment/enrol.html", "enrolment/home.html",
    "enrolment/invitation_accept.html", "enrolment/invitation_expired.html",
    "enrolment/invitation_invalid.html", "enrolment/invitation_join.html",
    "enrolment/invitation_renewed.html", "enrolment/invitation_sign_in.html",
    "enrolment/invitation_used.html", "enrolment/member_move.html", "enrolment/member_remove.html",
    "enrolment/person_form.html", "enrolment/set.html", "enrolment/set_form.html",
    # lti
    "lti/_tool_urls.html", "lti/course.html", "lti/deep_link.html", "lti/deep_link_return.html",
    "lti/launched.html", "lti/platform.html", "lti/platforms.html", "lti/problem.html", "lti/registered.html",
    # research
    "research/facilitate.html", "research/studies.html",
}


@pytest.mark.parametrize("name", [n for n in template_names() if n not in NOT_YET_CONVERTED])
def test_template_text_is_translatable(name):
    found = untranslated_text((TEMPLATES / name).read_text())
    assert not found, f"{name}: text outside {{% translate %}}/{{% blocktranslate %}}: {found}"


def test_the_allow_list_only_shrinks():
    names = set(template_names())
    assert not NOT_YET_CONVERTED - names, f"listed but gone: {sorted(NOT_YET_CONVERTED - names)}"
    converted = sorted(n for n in NOT_YET_CONVERTED if not untranslated_text((TEMPLATES / n).read_text()))
    assert not converted, f"converted: take these off NOT_YET_CONVERTED: {converted}"


def test_the_foundations_are_converted():
    """The first slice of issue 18: the frame of every page and the two home pages."""
    for name in ("base.html", "account/preferences.html", "actionsets/home.html", "actionsets/set_home.html",
                 "emails/base.html", "emails/base.txt"):
        assert name not in NOT_YET_CONVERTED
    assert not any(n.startswith("_partials/") for n in NOT_YET_CONVERTED)


@pytest.mark.parametrize("source, expected", [
    ("<p>Hello</p>", ["Hello"]),
    ("<p>{% translate 'Hello' %}</p>", []),
    ("<p>{% blocktranslate with n=x %}Hello {{ n }}{% endblocktranslate %}</p>", []),
    ("<p>{% blocktranslate count c=n %}One{% plural %}Many{% endblocktranslate %} left</p>", ["… left"]),
    ('<img alt="A picture" src="x.png">', ["A picture"]),
    ('<nav aria-label="{% translate \'Main\' %}"></nav>', []),
    ('<a href="/x" class="button big">{{ label }}</a> · 3', []),
    ("{# a comment #}{% comment %}Notes{% endcomment %}<script>var a = 'text here';</script>", []),
    ("<span>ActionSets</span> <b>{{ x }} left</b>", ["… left"]),
    ('{% extends "base.html" %}{% block main_class %}page page--narrow{% endblock %}', []),
])
def test_the_checker(source, expected):
    assert untranslated_text(source) == expected
