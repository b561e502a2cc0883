"""The enrolment app's pages, mounted at the site root (config/urls.py) under two prefixes, one
namespace (`enrolment:`):

- /manage/ — staff: cohorts, sets, CSV enrolment, memberships (staff only; everyone else 404).
- /accounts/invitation/ — the link an invitation email carries. It sits beside allauth's account
  pages because that is where a person signs in, and sent invitations hold the path, so it stays.
"""

from django.urls import include, path

from . import invitation_views, views

app_name = "enrolment"

manage_patterns = [
    path("", views.home, name="home"),
    path("cohorts/new/", views.cohort_new, name="cohort_new"),
    path("cohorts/<slug:cohort_slug>/", views.cohort, name="cohort"),
    path("cohorts/<slug:cohort_slug>/edit/", views.cohort_edit, name="cohort_edit"),
    path("cohorts/<slug:cohort_slug>/archive/", views.cohort_archive, name="cohort_archive"),
    path("cohorts/<slug:cohort_slug>/sets/new/", views.set_new, name="set_new"),
    path("cohorts/<slug:cohort_slug>/enrol/", views.enrol, name="enrol"),
    path("cohorts/<slug:cohort_slug>/add/", views.person_add, name="person_add"),
    path("cohorts/<slug:cohort_slug>/allocate/", views.allocate, name="allocate"),
    path("allocations/<int:allocation_id>/", views.allocation, name="allocation"),
    path("allocations/<int:allocation_id>/move/", views.allocation_move, name="allocation_move"),
    path("allocations/<int:allocation_id>/commit/", views.allocation_commit, name="allocation_commit"),
    path("enrolments/<int:batch_id>/", views.batch, name="batch"),
    path("enrolments/<int:batch_id>/commit/", views.batch_commit, name="batch_commit"),
    path("sets/<slug:set_slug>/", views.set_detail, name="set"),
    path("sets/<slug:set_slug>/edit/", views.set_edit, name="set_edit"),
    path("sets/<slug:set_slug>/facilitators/", views.set_facilitator, name="set_facilitator"),
    path("members/<int:membership_id>/move/", views.member_move, name="member_move"),
    path("members/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path("members/<int:membership_id>/resend/", views.member_resend, name="member_resend"),
]

invitation_patterns = [
    path("<str:token>/", invitation_views.accept, name="invitation_accept"),
    path("<str:token>/renew/", invitation_views.renew, name="invitation_renew"),
]

urlpatterns = [
    path("manage/", include(manage_patterns)),
    path("accounts/invitation/", include(invitation_patterns)),
]
