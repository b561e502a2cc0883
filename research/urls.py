"""Research pages, mounted at /sets/ (config/urls.py) beside the set's pages: members' studies,
consent and the information sheet's versions under <set>/research/, the facilitators'
registration, revision and exports under <set>/facilitate/research/ (404 for everyone else)."""

from django.urls import path

from . import views

app_name = "research"

urlpatterns = [
    path("<slug:set_slug>/research/", views.studies, name="studies"),
    path("<slug:set_slug>/research/<int:study_id>/consent/", views.consent, name="consent"),
    path("<slug:set_slug>/research/<int:study_id>/versions/", views.versions, name="versions"),
    path("<slug:set_slug>/facilitate/research/", views.facilitate, name="facilitate"),
    path("<slug:set_slug>/facilitate/research/<int:study_id>/sheet/", views.revise, name="revise"),
    path("<slug:set_slug>/facilitate/research/<int:study_id>/export.qdpx", views.export, {"fmt": "qdpx"},
         name="export_qdpx"),
    path("<slug:set_slug>/facilitate/research/<int:study_id>/export.zip", views.export, {"fmt": "zip"},
         name="export_data"),
    path("<slug:set_slug>/facilitate/research/<int:study_id>/cohort.qdpx", views.cohort_export, {"fmt": "qdpx"},
         name="cohort_export_qdpx"),
    path("<slug:set_slug>/facilitate/research/<int:study_id>/cohort.zip", views.cohort_export, {"fmt": "zip"},
         name="cohort_export_data"),
]
