"""Every public path keeps working (docs/architecture.md, section 7): emails already sent link to
them. OLD_PATHS is every route of the URLconf as it stood before issue 12 made it one URLconf and
one namespace per app (built by walking that URLconf; the Django admin, allauth's regular-expression
routes and its unnamed social pages are left to their own projects). Each must still resolve — to
the same page under its new name, or, where a path moved, to a view that redirects permanently to
the new path."""

import re

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from actionsets.models import Round
from tests.factories import RoundFactory

# (route before issue 12, the URL name it resolves to now)
OLD_PATHS = [
    ("", "home"),
    ("sets/<slug:set_slug>/facilitate/", "facilitation:dashboard"),
    ("sets/<slug:set_slug>/facilitate/export.csv", "facilitation:export"),
    ("sets/<slug:set_slug>/facilitate/signals/", "facilitation:signals"),
    ("sets/<slug:set_slug>/facilitate/moderation/", "facilitation:moderation"),
    ("sets/<slug:set_slug>/facilitate/moderation/log/", "facilitation:log"),
    ("sets/<slug:set_slug>/facilitate/replies/<int:reply_id>/hide/", "facilitation:reply_hide"),
    ("sets/<slug:set_slug>/facilitate/replies/<int:reply_id>/restore/", "facilitation:reply_restore"),
    ("sets/<slug:set_slug>/facilitate/replies/<int:reply_id>/annotate/", "facilitation:reply_annotate"),
    ("sets/<slug:set_slug>/facilitate/annotations/<int:annotation_id>/remove/", "facilitation:annotation_remove"),
    ("sets/<slug:set_slug>/facilitate/airtimes/<int:airtime_id>/lock/", "facilitation:airtime_lock"),
    ("sets/<slug:set_slug>/facilitate/airtimes/<int:airtime_id>/unlock/", "facilitation:airtime_unlock"),
    ("sets/<slug:set_slug>/facilitate/flags/<int:flag_id>/resolve/", "facilitation:flag_resolve"),
    ("sets/<slug:set_slug>/facilitate/rounds/", "facilitation:rounds"),
    ("sets/<slug:set_slug>/facilitate/rounds/new/", "facilitation:round_new"),
    ("sets/<slug:set_slug>/facilitate/rounds/<int:round_id>/change/", "facilitation:round_change_moved"),
    ("sets/<slug:set_slug>/facilitate/rounds/<int:round_id>/close/", "facilitation:round_close_moved"),
    ("sets/<slug:set_slug>/facilitate/process/", "actionsets:process"),
    ("sets/<slug:set_slug>/facilitate/process/options/", "actionsets:process_options"),
    ("sets/<slug:set_slug>/facilitate/process/rounds/<int:round_id>/", "actionsets:round_windows_moved"),
    ("sets/<slug:set_slug>/facilitate/lifecycle/", "actionsets:lifecycle"),
    ("sets/<slug:set_slug>/facilitate/lifecycle/state/", "actionsets:lifecycle_state"),
    ("sets/<slug:set_slug>/facilitate/lifecycle/rules/renegotiation/", "actionsets:rules_renegotiation"),
    ("sets/<slug:set_slug>/facilitate/lifecycle/rules/<int:version_id>/adopt/", "actionsets:rules_adopt"),
    ("sets/<slug:set_slug>/facilitate/lifecycle/self-managed/", "actionsets:self_managed"),
    ("sets/<slug:set_slug>/airtime/<int:airtime_id>/reply/<int:reply_id>/flag/", "facilitation:flag"),
    ("sets/<slug:set_slug>/", "actionsets:set_home"),
    ("sets/<slug:set_slug>/rules/", "actionsets:rules"),
    ("sets/<slug:set_slug>/notifications/", "actionsets:notifications"),
    ("sets/<slug:set_slug>/airtime/new/", "actionsets:airtime_new"),
    ("sets/<slug:set_slug>/airtime/<int:airtime_id>/", "actionsets:thread"),
    ("sets/<slug:set_slug>/airtime/<int:airtime_id>/reply/", "actionsets:reply"),
    ("sets/<slug:set_slug>/airtime/<int:airtime_id>/edit/", "actionsets:airtime_edit"),
    ("sets/<slug:set_slug>/airtime/<int:airtime_id>/history/", "actionsets:airtime_history"),
    ("sets/<slug:set_slug>/airtime/<int:airtime_id>/commitments/", "actionsets:commitment_new"),
    ("sets/<slug:set_slug>/airtime/<int:airtime_id>/reply/<int:reply_id>/edit/", "actionsets:reply_edit"),
    ("sets/<slug:set_slug>/airtime/<int:airtime_id>/reply/<int:reply_id>/history/", "actionsets:reply_history"),
    ("sets/<slug:set_slug>/commitments/", "actionsets:commitments"),
    ("sets/<slug:set_slug>/commitments/<int:commitment_id>/report/", "actionsets:commitment_report"),
    ("sets/<slug:set_slug>/advice-check/", "actionsets:advice_check"),
    ("sets/<slug:set_slug>/rounds/<int:number>/", "actionsets:round"),
    ("sets/<slug:set_slug>/rounds/<int:number>/check-in/", "actionsets:check_in"),
    ("sets/<slug:set_slug>/rounds/<int:number>/review/", "actionsets:process_review"),
    ("sets/<slug:set_slug>/rounds/<int:number>/review/summary/", "actionsets:review_summary"),
    ("sets/<slug:set_slug>/me/", "actionsets:me"),
    ("sets/<slug:set_slug>/continuity/<int:user_id>/", "actionsets:continuity"),
    ("sets/<slug:set_slug>/journal/", "actionsets:journal"),
    ("sets/<slug:set_slug>/journal/<int:entry_id>/", "actionsets:journal_entry"),
    ("sets/<slug:set_slug>/journal/export.md", "actionsets:journal_export"),
    ("sets/<slug:set_slug>/forming/", "actionsets:forming"),
    ("sets/<slug:set_slug>/forming/introduce/", "actionsets:introduce"),
    ("sets/<slug:set_slug>/rules/propose/", "actionsets:rules_propose"),
    ("sets/<slug:set_slug>/ending/", "actionsets:ending"),
    ("sets/<slug:set_slug>/ending/evaluate/", "actionsets:evaluate"),
    ("sets/<slug:set_slug>/export.md", "actionsets:export"),
    ("accounts/preferences/", "account_preferences"),
    ("accounts/my-data/", "account_my_data"),
    ("accounts/my-data/export.json", "account_my_data_json"),
    ("accounts/my-data/export.md", "account_my_data_markdown"),
    ("accounts/delete/", "account_delete"),
    ("accounts/deleted/", "account_deleted"),
    ("accounts/login/", "account_login"),
    ("accounts/logout/", "account_logout"),
    ("accounts/inactive/", "account_inactive"),
    ("accounts/signup/", "account_signup"),
    ("accounts/reauthenticate/", "account_reauthenticate"),
    ("accounts/email/", "account_email"),
    ("accounts/confirm-email/", "account_email_verification_sent"),
    ("accounts/password/change/", "account_change_password"),
    ("accounts/password/set/", "account_set_password"),
    ("accounts/password/reset/", "account_reset_password"),
    ("accounts/login/code/confirm/", "account_confirm_login_code"),
    ("accounts/password/reset/key/done/", "account_reset_password_from_key_done"),
    ("accounts/password/reset/done/", "account_reset_password_done"),
    ("accounts/3rdparty/login/cancelled/", "socialaccount_login_cancelled"),
    ("accounts/3rdparty/login/error/", "socialaccount_login_error"),
    ("accounts/3rdparty/signup/", "socialaccount_signup"),
    ("accounts/3rdparty/", "socialaccount_connections"),
    ("accounts/sessions/", "usersessions_list"),
    ("email/unsubscribe/<str:token>/", "engagement:unsubscribe"),
    ("markdownx/markdownify/", "markdownx_markdownify"),
    ("healthz", "healthz"),
    ("manage/", "enrolment:home"),
    ("manage/cohorts/new/", "enrolment:cohort_new"),
    ("manage/cohorts/<slug:cohort_slug>/", "enrolment:cohort"),
    ("manage/cohorts/<slug:cohort_slug>/edit/", "enrolment:cohort_edit"),
    ("manage/cohorts/<slug:cohort_slug>/archive/", "enrolment:cohort_archive"),
    ("manage/cohorts/<slug:cohort_slug>/sets/new/", "enrolment:set_new"),
    ("manage/cohorts/<slug:cohort_slug>/enrol/", "enrolment:enrol"),
    ("manage/cohorts/<slug:cohort_slug>/add/", "enrolment:person_add"),
    ("manage/enrolments/<int:batch_id>/", "enrolment:batch"),
    ("manage/enrolments/<int:batch_id>/commit/", "enrolment:batch_commit"),
    ("manage/sets/<slug:set_slug>/", "enrolment:set"),
    ("manage/sets/<slug:set_slug>/edit/", "enrolment:set_edit"),
    ("manage/sets/<slug:set_slug>/facilitators/", "enrolment:set_facilitator"),
    ("manage/members/<int:membership_id>/move/", "enrolment:member_move"),
    ("manage/members/<int:membership_id>/remove/", "enrolment:member_remove"),
    ("manage/members/<int:membership_id>/resend/", "enrolment:member_resend"),
    ("accounts/invitation/<str:token>/", "enrolment:invitation_accept"),
    ("accounts/invitation/<str:token>/renew/", "enrolment:invitation_renew"),]
# The three routes that addressed a round by id; each now redirects to the round's number.
MOVED = {
    "sets/<slug:set_slug>/facilitate/rounds/<int:round_id>/change/": "facilitation:round_change",
    "sets/<slug:set_slug>/facilitate/rounds/<int:round_id>/close/": "facilitation:round_close",
    "sets/<slug:set_slug>/facilitate/process/rounds/<int:round_id>/": "actionsets:round_windows",
}
SAMPLES = {"slug": "design-team", "int": "7", "str": "a-token"}


def concrete(route: str, **values) -> str:
    """The route with a sample value for each converter (or the given one, by parameter name)."""
    return "/" + re.sub(r"<(\w+):(\w+)>", lambda m: str(values.get(m.group(2), SAMPLES[m.group(1)])), route)


def test_the_list_covers_every_app_and_the_moved_paths():
    names = {name for _, name in OLD_PATHS}
    assert {n.partition(":")[0] for n in names if ":" in n} == {"actionsets", "facilitation", "engagement", "enrolment"}
    assert {route for route, _ in OLD_PATHS} >= MOVED.keys()
    assert len(OLD_PATHS) == 100


@pytest.mark.parametrize("route, name", OLD_PATHS, ids=[route or "/" for route, _ in OLD_PATHS])
def test_every_old_path_still_resolves(route, name):
    assert resolve(concrete(route)).view_name == name


@pytest.mark.parametrize("route, target", MOVED.items(), ids=list(MOVED))
def test_an_old_round_path_redirects_permanently_to_the_rounds_number(client, action_set, facilitator, route, target):
    RoundFactory(action_set=action_set, number=1)
    second = RoundFactory(action_set=action_set, number=2, opens_at=Round.objects.get(number=1).closes_at)
    old = concrete(route, set_slug=action_set.slug, round_id=second.pk)
    new = reverse(target, kwargs={"set_slug": action_set.slug, "number": 2})
    client.force_login(facilitator)
    for method in (client.get, client.post):  # a link in an email, or a form on a page open since
        response = method(old)
        # 308: a browser posts the form again, body and all, to the new address.
        assert response.status_code == 308 and response["Location"] == new


@pytest.mark.parametrize("route", list(MOVED))
def test_an_old_round_path_is_404_for_a_learner(client, action_set, open_round, learner, route):
    client.force_login(learner)
    assert client.post(concrete(route, set_slug=action_set.slug, round_id=open_round.pk)).status_code == 404


def test_a_form_posted_to_an_old_round_path_still_closes_the_round(client, action_set, open_round, facilitator):
    client.force_login(facilitator)
    old = f"/sets/{action_set.slug}/facilitate/rounds/{open_round.pk}/close/"
    response = client.post(old, {"reason": "Everyone has responded"}, follow=True)
    assert response.redirect_chain[0] == (f"/sets/{action_set.slug}/rounds/1/close/", 308)
    open_round.refresh_from_db()
    assert open_round.state_at(timezone.now()) == Round.State.CLOSED
