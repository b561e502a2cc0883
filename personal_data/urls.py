"""Mounted under /accounts/ (config/urls.py), beside the account pages it belongs with."""

from django.urls import path

from . import views

urlpatterns = [
    path("my-data/", views.my_data, name="account_my_data"),
    path("my-data/export.json", views.my_data_json, name="account_my_data_json"),
    path("my-data/export.md", views.my_data_markdown, name="account_my_data_markdown"),
    path("my-data/files.zip", views.my_data_files, name="account_my_data_files"),
    path("delete/", views.delete_account, name="account_delete"),
    path("deleted/", views.account_deleted, name="account_deleted"),
]
