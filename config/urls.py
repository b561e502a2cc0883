from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from actionsets.views import search as search_views
from actionsets.views import sets as set_views
from actionsets.preview import PreviewView
from config.health import healthz

urlpatterns = [
    path("", set_views.home, name="home"),
    path("how-rounds-work/", set_views.how_rounds_work, name="how_rounds_work"),
    # Search across my current sets; within one set it is /sets/<set>/search/ (docs/search.md).
    path("search/", search_views.search_all, name="search"),
    # One URLconf and one namespace per app (docs/architecture.md, section 7). actionsets and
    # facilitation share the /sets/ prefix; their paths do not overlap.
    path("sets/", include("actionsets.urls")),
    path("sets/", include("facilitation.urls")),
    path("sets/", include("research.urls")),
    path("accounts/preferences/sets/", set_views.email_levels, name="set_email_levels"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("personal_data.urls")),
    path("accounts/", include("allauth.urls")),
    # /email/ (unsubscribe, inbound webhooks), /notifications/, and the thread page's knock
    # (/sets/<set>/airtime/<id>/knock/): engagement/urls.py.
    path("", include("engagement.urls")),
    # /manage/ and /accounts/invitation/ (enrolment/urls.py says why the invitation sits there).
    path("", include("enrolment.urls")),
    # LTI 1.3: the platform's endpoints under /lti/, staff registrations under /manage/lti/ (lti/urls.py).
    path("", include("lti.urls")),
    # The editor's live preview uses the same sanitising renderer and needs a signed-in member.
    # Image upload stays off until uploads can be private to a set. More than the markdown length
    # limit is refused with 413 before rendering (actionsets/preview.py).
    path("markdownx/markdownify/", login_required(PreviewView.as_view()), name="markdownx_markdownify"),
    path("admin/", admin.site.urls),
    # The JavaScript translation catalogue (djangojs domain) in the active language, loaded by
    # base.html as a static script tag before the other scripts (docs/translating.md).
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript_catalog"),
    # No trailing slash: load balancers call it over plain HTTP (SECURE_REDIRECT_EXEMPT).
    path("healthz", healthz, name="healthz"),
]

if settings.BENCH_CEILING:  # the benchmark's trivial endpoint (bench/run.py); off in production
    from config.ceiling import ceiling

    urlpatterns.append(path("bench/ceiling", ceiling, name="bench_ceiling"))
