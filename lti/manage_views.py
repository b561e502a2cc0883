"""Staff pages for LTI under /manage/lti/: platform registrations and the courses they launched
from (with the roster sync). Staff only, like the rest of /manage/; names and figures, no content."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from enrolment.permissions import staff_required

from . import registration, roster, selectors, services
from .forms import CourseForm, PlatformForm
from .models import Course, Platform


def tool_urls() -> dict:
    return {name: settings.SITE_URL + reverse(f"lti:{name}") for name in ("login", "launch", "jwks")}


@staff_required
def platforms(request: HttpRequest) -> HttpResponse:
    links = [(link, registration.link_url(link)) for link in selectors.open_registration_links()]
    return render(request, "lti/platforms.html", {"platforms": selectors.platforms_overview(), "tool": tool_urls(),
                                                  "links": links})


@staff_required
@require_POST
def registration_link_new(request: HttpRequest) -> HttpResponse:
    """A one-time URL for LTI Dynamic Registration, shown on the platforms page."""
    registration.create_link(actor=request.user)
    messages.success(request, gettext("Registration URL created: paste it into the platform within a week. It works once."))
    return redirect("lti:platforms")


@staff_required
@require_http_methods(["GET", "POST"])
def platform_edit(request: HttpRequest, platform_id: int | None = None) -> HttpResponse:
    platform = get_object_or_404(Platform, pk=platform_id) if platform_id else None
    form = PlatformForm(request.POST or None, instance=platform)
    if request.method == "POST" and form.is_valid():
        platform = services.save_platform(form=form)
        messages.success(request, gettext("Platform “%(name)s” saved.") % {"name": platform.name})
        return redirect("lti:platform", platform_id=platform.pk)
    return render(request, "lti/platform.html", {
        "form": form, "platform": platform, "courses": selectors.courses_of(platform) if platform else [],
        "tool": tool_urls(),
    })


@staff_required
@require_http_methods(["GET", "POST"])
def course(request: HttpRequest, course_id: int) -> HttpResponse:
    course = get_object_or_404(Course.objects.select_related("platform", "cohort", "action_set"), pk=course_id)
    form = CourseForm(request.POST or None, course=course,
                      initial={"action_set": course.action_set, "scheduled_sync": course.scheduled_sync})
    if request.method == "POST" and form.is_valid():
        services.update_course(actor=request.user, course=course, **form.cleaned_data)
        messages.success(request, gettext("Course saved."))
        return redirect("lti:course", course_id=course.pk)
    return render(request, "lti/course.html", {"course": course, "form": form})


@staff_required
@require_POST
def course_sync(request: HttpRequest, course_id: int) -> HttpResponse:
    """Fetch the roster now and show it as an enrolment preview (commit there, as for a CSV file)."""
    course = get_object_or_404(Course.objects.select_related("platform", "cohort", "action_set"), pk=course_id)
    try:
        batch = roster.preview_sync(course=course, actor=request.user)
    except roster.RosterError as error:
        messages.error(request, str(error))
        return redirect("lti:course", course_id=course.pk)
    return redirect("enrolment:batch", batch_id=batch.pk)
