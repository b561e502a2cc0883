"""The set's pages, mounted at /sets/ (config/urls.py): what members read and write, and the
facilitator's set-process pages under <set>/facilitate/process/ and <set>/facilitate/lifecycle/.
A round is addressed by its number within the set, as members see it (docs/architecture.md,
section 7). Paths are a public interface — emails link to them — so one that moves keeps a
permanent redirect at the bottom of this file."""

from django.urls import path

from .views import drafts, files, journal, lifecycle, people, process, rounds, search, sets, threads

app_name = "actionsets"

urlpatterns = [
    path("<slug:set_slug>/", sets.set_home, name="set_home"),
    path("<slug:set_slug>/rules/", sets.rules, name="rules"),
    path("<slug:set_slug>/welcome/", sets.welcome_dismiss, name="welcome_dismiss"),
    path("<slug:set_slug>/notifications/", sets.notifications, name="notifications"),
    path("<slug:set_slug>/members/handles/", sets.member_handles, name="member_handles"),
    path("<slug:set_slug>/airtime/new/", threads.airtime_new, name="airtime_new"),
    path("<slug:set_slug>/airtime/new/draft/", drafts.airtime_draft, name="airtime_draft"),
    path("<slug:set_slug>/airtime/<int:airtime_id>/", threads.thread, name="thread"),
    path("<slug:set_slug>/airtime/<int:airtime_id>/draft/", drafts.reply_draft, name="reply_draft"),
    path("<slug:set_slug>/airtime/<int:airtime_id>/reply/", threads.reply, name="reply"),
    path("<slug:set_slug>/airtime/<int:airtime_id>/edit/", threads.airtime_edit, name="airtime_edit"),
    path("<slug:set_slug>/airtime/<int:airtime_id>/history/", threads.history, name="airtime_history"),
    path("<slug:set_slug>/airtime/<int:airtime_id>/commitments/", sets.commitment_new, name="commitment_new"),
    path("<slug:set_slug>/airtime/<int:airtime_id>/reply/<int:reply_id>/edit/", threads.reply_edit, name="reply_edit"),
    path("<slug:set_slug>/airtime/<int:airtime_id>/reply/<int:reply_id>/history/", threads.history, name="reply_history"),
    path("<slug:set_slug>/airtime/<int:airtime_id>/reply/<int:reply_id>/helpful/", threads.helpful, name="helpful"),
    path("<slug:set_slug>/commitments/", sets.commitments, name="commitments"),
    path("<slug:set_slug>/commitments/<int:commitment_id>/report/", sets.commitment_report, name="commitment_report"),
    path("<slug:set_slug>/advice-check/", threads.advice_check, name="advice_check"),
    path("<slug:set_slug>/rounds/<int:number>/", rounds.round_detail, name="round"),
    path("<slug:set_slug>/rounds/<int:number>/check-in/", rounds.check_in, name="check_in"),
    path("<slug:set_slug>/rounds/<int:number>/review/", rounds.process_review, name="process_review"),
    path("<slug:set_slug>/rounds/<int:number>/review/summary/", rounds.review_summary, name="review_summary"),
    path("<slug:set_slug>/me/", rounds.me, name="me"),
    path("<slug:set_slug>/continuity/<int:user_id>/", rounds.continuity, name="continuity"),
    path("<slug:set_slug>/members/<int:user_id>/", people.member, name="member"),
    path("<slug:set_slug>/members/<int:user_id>/picture/<str:version>/", people.member_picture, name="member_picture"),
    path("<slug:set_slug>/journal/", journal.journal_home, name="journal"),
    path("<slug:set_slug>/journal/<int:entry_id>/", journal.journal_entry, name="journal_entry"),
    path("<slug:set_slug>/journal/export.md", journal.journal_export, name="journal_export"),
    # Files private to the set (docs/files.md): the one way they are served, and the editor's upload.
    path("<slug:set_slug>/files/upload/", files.upload, name="file_upload"),
    path("<slug:set_slug>/files/<str:token>/", files.file, name="file"),
    path("<slug:set_slug>/search/", search.search_set, name="search"),
    path("<slug:set_slug>/forming/", lifecycle.forming, name="forming"),
    path("<slug:set_slug>/forming/introduce/", lifecycle.introduce, name="introduce"),
    path("<slug:set_slug>/rules/propose/", lifecycle.rules_propose, name="rules_propose"),
    path("<slug:set_slug>/ending/", lifecycle.ending, name="ending"),
    path("<slug:set_slug>/ending/evaluate/", lifecycle.evaluate, name="evaluate"),
    path("<slug:set_slug>/export.md", lifecycle.export, name="export"),
    # The facilitator's set-process pages. Facilitators only: everyone else gets 404.
    path("<slug:set_slug>/facilitate/process/", process.process, name="process"),
    path("<slug:set_slug>/facilitate/process/options/", process.process_options, name="process_options"),
    path("<slug:set_slug>/rounds/<int:number>/windows/", process.round_windows, name="round_windows"),
    path("<slug:set_slug>/facilitate/lifecycle/", lifecycle.lifecycle, name="lifecycle"),
    path("<slug:set_slug>/facilitate/lifecycle/state/", lifecycle.lifecycle_state, name="lifecycle_state"),
    path("<slug:set_slug>/facilitate/lifecycle/rules/renegotiation/", lifecycle.rules_renegotiation,
         name="rules_renegotiation"),
    path("<slug:set_slug>/facilitate/lifecycle/rules/<int:version_id>/adopt/", lifecycle.rules_adopt,
         name="rules_adopt"),
    path("<slug:set_slug>/facilitate/lifecycle/self-managed/", lifecycle.self_managed, name="self_managed"),
    # Moved: rounds were addressed by id here until issue 12. 308 keeps a form's POST a POST.
    path("<slug:set_slug>/facilitate/process/rounds/<int:round_id>/", process.round_windows_moved,
         name="round_windows_moved"),
]
