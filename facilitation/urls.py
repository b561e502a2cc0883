"""The facilitation app's pages, mounted at /sets/ (config/urls.py) beside actionsets' set pages.

Under <set>/facilitate/: the facilitator's tools, for the set's facilitators only — everyone
else gets 404. The members' "Flag" form sits beside the thread URLs it extends (the facilitate/
prefix 404s for learners, so flagging cannot live there), and a round's facilitator actions hang
off the round's one address, /sets/<set>/rounds/<number>/ (docs/architecture.md, section 7)."""

from django.urls import path

from . import views

app_name = "facilitation"

urlpatterns = [
    path("<slug:set_slug>/facilitate/", views.dashboard, name="dashboard"),
    path("<slug:set_slug>/facilitate/export.csv", views.export, name="export"),
    path("<slug:set_slug>/facilitate/signals/", views.signals, name="signals"),
    path("<slug:set_slug>/facilitate/moderation/", views.moderation, name="moderation"),
    path("<slug:set_slug>/facilitate/moderation/log/", views.log, name="log"),
    path("<slug:set_slug>/facilitate/replies/<int:reply_id>/hide/", views.reply_hide, name="reply_hide"),
    path("<slug:set_slug>/facilitate/replies/<int:reply_id>/restore/", views.reply_restore, name="reply_restore"),
    path("<slug:set_slug>/facilitate/replies/<int:reply_id>/annotate/", views.reply_annotate, name="reply_annotate"),
    path("<slug:set_slug>/facilitate/annotations/<int:annotation_id>/remove/", views.annotation_remove,
         name="annotation_remove"),
    path("<slug:set_slug>/facilitate/airtimes/<int:airtime_id>/lock/", views.airtime_lock, name="airtime_lock"),
    path("<slug:set_slug>/facilitate/airtimes/<int:airtime_id>/unlock/", views.airtime_unlock, name="airtime_unlock"),
    path("<slug:set_slug>/facilitate/flags/<int:flag_id>/resolve/", views.flag_resolve, name="flag_resolve"),
    path("<slug:set_slug>/facilitate/coding/", views.coding, name="coding"),
    path("<slug:set_slug>/facilitate/coding/<int:sample_id>/", views.coding_sample, name="coding_sample"),
    path("<slug:set_slug>/facilitate/coding/<int:sample_id>/agreement/", views.coding_agreement,
         name="coding_agreement"),
    path("<slug:set_slug>/facilitate/coding/<int:sample_id>/agreed/", views.coding_agreed, name="coding_agreed"),
    path("<slug:set_slug>/facilitate/researchers/", views.researchers, name="researchers"),
    path("<slug:set_slug>/facilitate/researchers/<int:membership_id>/revoke/", views.researcher_revoke,
         name="researcher_revoke"),
    path("<slug:set_slug>/facilitate/rounds/", views.rounds, name="rounds"),
    path("<slug:set_slug>/facilitate/rounds/new/", views.round_new, name="round_new"),
    path("<slug:set_slug>/rounds/<int:number>/change/", views.round_change, name="round_change"),
    path("<slug:set_slug>/rounds/<int:number>/close/", views.round_close, name="round_close"),
    # Members flag a reply.
    path("<slug:set_slug>/airtime/<int:airtime_id>/reply/<int:reply_id>/flag/", views.flag, name="flag"),
    # Moved: rounds were addressed by id here until issue 12. 308 keeps a form's POST a POST.
    path("<slug:set_slug>/facilitate/rounds/<int:round_id>/change/", views.round_change_moved,
         name="round_change_moved"),
    path("<slug:set_slug>/facilitate/rounds/<int:round_id>/close/", views.round_close_moved,
         name="round_close_moved"),
]
