"""The private reflective journal (/sets/<set>/journal/). Only the author reads an entry: the
set's facilitator, staff and other members get the same 404 as for a missing entry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import permissions, selectors, services
from ..forms import JournalEntryForm, apply_service_errors, enable_uploads, offer_removal
from ..models import Airtime
from ..ratelimits import MESSAGES, over_limit


def _my_airtimes(access) -> list[Airtime]:
    return list(Airtime.objects.filter(action_set=access.action_set, presenter=access.user).select_related("round")
                .order_by("round__number"))


def _airtime(airtimes, airtime_id):
    return next((a for a in airtimes if a.pk == airtime_id), None)


def _save(request, form, airtimes, write, *, rate_group: str) -> bool:
    if not form.is_valid():
        return False
    if over_limit(request, rate_group):
        form.add_error(None, MESSAGES[rate_group])  # the entry stays in the box
        return False
    data = dict(form.cleaned_data, airtime=_airtime(airtimes, form.cleaned_data["airtime"]))
    try:
        write(**data)
    except ValidationError as error:
        apply_service_errors(form, error)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def journal_home(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = permissions.get_set_to_act_or_404(request.user, set_slug)  # a participant's own: not a researcher's
    airtimes = _my_airtimes(access)
    wanted = request.GET.get("airtime", "")
    initial = {"airtime": int(wanted)} if wanted.isdigit() and _airtime(airtimes, int(wanted)) else None
    form = JournalEntryForm(request.POST or None, request.FILES or None, airtimes=airtimes, initial=initial)
    enable_uploads(form, reverse("actionsets:file_upload", args=[set_slug]))
    if request.method == "POST" and _save(request, form, airtimes, lambda **data: services.write_entry(
            author=request.user, action_set=access.action_set, **data), rate_group="post"):
        messages.success(request, _("Saved in your journal. Only you can read it."))
        return redirect("actionsets:journal", set_slug=set_slug)
    return render(request, "actionsets/process/journal.html", {
        "access": access, "action_set": access.action_set, "form": form, "prompts": services.PROMPTS.items(),
        "entries": services.entries_for(request.user, access.action_set),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def journal_entry(request: HttpRequest, set_slug: str, entry_id: int) -> HttpResponse:
    access = permissions.get_set_to_act_or_404(request.user, set_slug)  # a participant's own: not a researcher's
    entry = permissions.get_journal_entry_or_404(access, entry_id)
    entry.action_set = access.action_set
    airtimes = _my_airtimes(access)
    form = JournalEntryForm(request.POST or None, request.FILES or None, airtimes=airtimes, initial={
        "level": entry.level, "title": entry.title, "airtime": entry.airtime_id, "body": entry.body})
    enable_uploads(form, reverse("actionsets:file_upload", args=[set_slug]))
    offer_removal(form, selectors.post_files(entry) if entry.has_files else (), kept=False)
    if request.method == "POST" and _save(request, form, airtimes, lambda **data: services.edit_entry(
            author=request.user, entry=entry, **data), rate_group="edit"):
        messages.success(request, _("Entry saved."))
        return redirect("actionsets:journal", set_slug=set_slug)
    return render(request, "actionsets/process/journal_entry.html", {
        "access": access, "action_set": access.action_set, "entry": entry, "form": form,
        "prompts": services.PROMPTS.items(),
    }, status=400 if request.method == "POST" else 200)


@login_required
def journal_export(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = permissions.get_set_to_act_or_404(request.user, set_slug)  # a participant's own: not a researcher's
    entries = services.entries_for(request.user, access.action_set)
    text = services.export_markdown(request.user, access.action_set, entries, now=timezone.now())
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="journal-{access.action_set.slug}.md"'
    response["Cache-Control"] = "private, no-store"
    return response
