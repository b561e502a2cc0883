from django.urls import path

from . import views

app_name = "actionsets"

urlpatterns = [
    path("<slug:set_slug>/", views.set_home, name="set_home"),
    path("<slug:set_slug>/rules/", views.rules, name="rules"),
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
]
