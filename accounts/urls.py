from django.urls import path

from . import views

urlpatterns = [
    path("preferences/", views.preferences, name="account_preferences"),
    path("picture/", views.picture, name="account_picture"),
    path("picture/<str:version>/", views.my_picture, name="account_picture_image"),
]
