from django.urls import path

from . import invitation_views

urlpatterns = [
    path("<str:token>/", invitation_views.accept, name="invitation_accept"),
    path("<str:token>/renew/", invitation_views.renew, name="invitation_renew"),
]
