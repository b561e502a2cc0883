"""The LTI app's URLs (`lti:`): the endpoints a learning platform calls at /lti/, and the staff's
platform registrations and course rosters under /manage/lti/ (staff only, 404 for everyone else)."""

from django.urls import path

from . import manage_views, views

app_name = "lti"

urlpatterns = [
    path("lti/jwks.json", views.jwks, name="jwks"),
    path("lti/login/", views.login, name="login"),
    path("lti/launch/", views.launch, name="launch"),
    path("lti/enter/<str:token>/", views.enter, name="enter"),
    path("lti/deep-link/<str:picker_id>/", views.deep_link, name="deep_link"),
    path("lti/register/<str:key>/", views.register, name="register"),
    path("manage/lti/", manage_views.platforms, name="platforms"),
    path("manage/lti/platforms/new/", manage_views.platform_edit, name="platform_new"),
    path("manage/lti/registration-links/new/", manage_views.registration_link_new, name="registration_link_new"),
    path("manage/lti/platforms/<int:platform_id>/", manage_views.platform_edit, name="platform"),
    path("manage/lti/courses/<int:course_id>/", manage_views.course, name="course"),
    path("manage/lti/courses/<int:course_id>/sync/", manage_views.course_sync, name="course_sync"),
]
