from django.urls import path

from .views import journal, lifecycle, rounds, sets, threads

app_name = "actionsets"

urlpatterns = [
    path("<slug:set_slug>/", sets.set_home, name="set_home"),
    path("<slug:set_slug>/rules/", sets.rules, name="rules"),
    path("<slug:set_slug>/welcome/", sets.welcome_dismiss, name="welcome_dismiss"),
    path("<slug:set_slug>/notifications/", sets.notifications, name="notifications"),
    path("<slug:set_slug>/airtime/new/", threads.airtime_new, name="airtime_new"),
    path("<slug:set_slug>/airtime/<int:airtime_id>/", threads.thread, name="thread"),
    path("<slug:set_slug>/airtime/<int:airtime_id>/reply/", threads.reply, name="reply"),
    path("<slug:set_slug>/airtime/<int:airtime_id>/edit/", threads.airtime_edit, name="airtime_edit"),
    path("<slug:set_slug>/airtime/<int:airtime_id>/history/", threads.history, name="airtime_history"),
    path("<slug:set_slug>/airtime/<int:airtime_id>/commitments/", sets.commitment_new, name="commitment_new"),
    path("<slug:set_slug>/airtime/<int:airtime_id>/reply/<int:reply_id>/edit/", threads.reply_edit, name="reply_edit"),
    path("<slug:set_slug>/airtime/<int:airtime_id>/reply/<int:reply_id>/history/", threads.history, name="reply_history"),
    path("<slug:set_slug>/commitments/", sets.commitments, name="commitments"),
    path("<slug:set_slug>/commitments/<int:commitment_id>/report/", sets.commitment_report, name="commitment_report"),
    path("<slug:set_slug>/advice-check/", threads.advice_check, name="advice_check"),
    path("<slug:set_slug>/rounds/<int:number>/", rounds.round_detail, name="round"),
    path("<slug:set_slug>/rounds/<int:number>/check-in/", rounds.check_in, name="check_in"),
    path("<slug:set_slug>/rounds/<int:number>/review/", rounds.process_review, name="process_review"),
    path("<slug:set_slug>/rounds/<int:number>/review/summary/", rounds.review_summary, name="review_summary"),
    path("<slug:set_slug>/me/", rounds.me, name="me"),
    path("<slug:set_slug>/continuity/<int:user_id>/", rounds.continuity, name="continuity"),
    path("<slug:set_slug>/journal/", journal.journal_home, name="journal"),
    path("<slug:set_slug>/journal/<int:entry_id>/", journal.journal_entry, name="journal_entry"),
    path("<slug:set_slug>/journal/export.md", journal.journal_export, name="journal_export"),
    path("<slug:set_slug>/forming/", lifecycle.forming, name="forming"),
    path("<slug:set_slug>/forming/introduce/", lifecycle.introduce, name="introduce"),
    path("<slug:set_slug>/rules/propose/", lifecycle.rules_propose, name="rules_propose"),
    path("<slug:set_slug>/ending/", lifecycle.ending, name="ending"),
    path("<slug:set_slug>/ending/evaluate/", lifecycle.evaluate, name="evaluate"),
    path("<slug:set_slug>/export.md", lifecycle.export, name="export"),
]
