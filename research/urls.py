"""Research pages, mounted at /sets/ (config/urls.py) beside the set's pages: members' studies and
consent under <set>/research/, the facilitators' registration and export under
<set>/facilitate/research/ (404 for everyone else)."""

from django.urls import path

from . import views

app_name = "research"

urlpatterns = [
    path("<slug:set_slug>/research/", views.studies, name="studies"),
    path("<slug:set_slug>/research/<int:study_id>/consent/", views.consent, name="consent"),
    path("<slug:set_slug>/facilitate/research/", views.facilitate, name="facilitate"),
    path("<slug:set_slug>/facilitate/research/<int:study_id>/export.qdpx", views.export, {"fmt": "qdpx"},
         name="export_qdpx"),
    path("<slug:set_slug>/facilitate/research/<int:study_id>/export.zip", views.export, {"fmt": "zip"},
         name="export_data"),
]
