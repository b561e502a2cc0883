from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from markdownx.views import MarkdownifyView

from actionsets import views as actionset_views

urlpatterns = [
    path("", actionset_views.home, name="home"),
    path("sets/", include("actionsets.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    # The editor's live preview uses the same sanitising renderer and needs a signed-in member.
    # Image upload stays off until uploads can be private to a set.
    path("markdownx/markdownify/", login_required(MarkdownifyView.as_view()), name="markdownx_markdownify"),
    path("admin/", admin.site.urls),
]

if settings.BENCH_CEILING:  # the benchmark's trivial endpoint (bench/run.py); off in production
    from config.ceiling import ceiling

    urlpatterns.append(path("bench/ceiling", ceiling, name="bench_ceiling"))
