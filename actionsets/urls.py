from django.urls import path

from . import views, views_journal, views_lifecycle, views_round

app_name = "actionsets"

urlpatterns = [
    path("<slug:set_slug>/", views.set_home, name="set_home"),
    path("<slug:set_slug>/rules/", views.rules, name="rules"),
    path("<slug:set_slug>/notifications/", views.notifications, name="notifications"),
    path("<slug:set_slug>/airtime/new/", views.airtime_new, name="airtime_new"),
    path("<slug:set_slug>/airtime/<int:airtime_id>/", views.thread, name="thread"),
    path("<slug:set_slug>/airtime/<int:airtime_id>/reply/", views.reply, name="reply"),
    path("<slug:set_slug>/airtime/<int:airtime_id>/edit/", views.airtime_edit, name="airtime_edit"),
    path("<slug:set_slug>/airtime/<int:airtime_id>/history/", views.history, name="airtime_history"),
    path("<slug:set_slug>/airtime/<int:airtime_id>/commitments/", views.commitment_new, name="commitment_new"),
    path("<slug:set_slug>/airtime/<int:airtime_id>/reply/<int:reply_id>/edit/", views.reply_edit, name="reply_edit"),
    path("<slug:set_slug>/airtime/<int:airtime_id>/reply/<int:reply_id>/history/", views.history, name="reply_history"),
    path("<slug:set_slug>/commitments/", views.commitments, name="commitments"),
    path("<slug:set_slug>/commitments/<int:commitment_id>/report/", views.commitment_report, name="commitment_report"),
    path("<slug:set_slug>/advice-check/", views.advice_check, name="advice_check"),
    path("<slug:set_slug>/rounds/<int:number>/", views_round.round_detail, name="round"),
    path("<slug:set_slug>/rounds/<int:number>/check-in/", views_round.check_in, name="check_in"),
    path("<slug:set_slug>/rounds/<int:number>/review/", views_round.process_review, name="process_review"),
    path("<slug:set_slug>/rounds/<int:number>/review/summary/", views_round.review_summary, name="review_summary"),
    path("<slug:set_slug>/me/", views_round.me, name="me"),
    path("<slug:set_slug>/continuity/<int:user_id>/", views_round.continuity, name="continuity"),
    path("<slug:set_slug>/journal/", views_journal.journal_home, name="journal"),
    path("<slug:set_slug>/journal/<int:entry_id>/", views_journal.journal_entry, name="journal_entry"),
    path("<slug:set_slug>/journal/export.md", views_journal.journal_export, name="journal_export"),
    path("<slug:set_slug>/forming/", views_lifecycle.forming, name="forming"),
    path("<slug:set_slug>/forming/introduce/", views_lifecycle.introduce, name="introduce"),
    path("<slug:set_slug>/rules/propose/", views_lifecycle.rules_propose, name="rules_propose"),
    path("<slug:set_slug>/ending/", views_lifecycle.ending, name="ending"),
    path("<slug:set_slug>/ending/evaluate/", views_lifecycle.evaluate, name="evaluate"),
    path("<slug:set_slug>/export.md", views_lifecycle.export, name="export"),
]
