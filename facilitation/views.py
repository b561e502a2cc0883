"""Facilitator pages and actions, and the members' "Flag" form.

Each view: permission check (facilitation.permissions, built on actionsets.permissions) → one
selector or service → render or redirect. Learners and everyone else get 404 on every facilitator
URL. Actions are POST-only and say what happened with a message; a refused action loses nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from actionsets import services as set_services
from actionsets.advice import word_list_for
from actionsets.forms import apply_service_errors
from actionsets.models import Membership
from actionsets.permissions import (
    get_airtime_or_404,
    get_reply_or_404,
    get_round_by_id_or_404,
    get_round_or_404,
    get_set_or_404,
)
from actionsets.ratelimits import MESSAGES, over_limit
from actionsets.selectors import rounds_of, visible_replies_for
from actionsets.views.common import same_set_path, set_context
from engagement.effects import effects as email_effects

from . import analytics, charts, exports, selectors, services
from . import coding as coding_services
from . import researchers as researcher_services
from .forms import (
    AgreedForm,
    AnnotateForm,
    FlagForm,
    HideForm,
    ResearcherForm,
    ResolveForm,
    RoundDatesForm,
    RoundForm,
    SampleForm,
)
from .permissions import (
    can_flag,
    check_facilitator,
    get_annotation_or_404,
    get_facilitated_set_or_404,
    get_flag_or_404,
    get_readable_facilitation_or_404,
    get_sample_or_404,
)

LOG_PAGE_SIZE = 50
SIGNALS_PAGE_SIZE = 50


def _scope(request: HttpRequest, rounds):
    """?round=N → that round; no parameter → the whole set; anything else → 404."""
    raw = request.GET.get("round", "")
    if not raw:
        return None
    found = next((r for r in rounds if str(r.number) == raw), None)
    if found is None:
        raise Http404
    return found


def _back(request: HttpRequest, access, default: str):
    """Redirect to `next` when it is a page of this set, else to `default`."""
    return redirect(same_set_path(request, access, request.POST.get("next")) or default)


def _attempt(request: HttpRequest, action, success: str) -> bool:
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True


def _reason(request: HttpRequest) -> str:
    """An optional reason, as typed: the service checks its length and says so if it is too long."""
    return request.POST.get("reason", "")


def _reply_in_set(access, reply_id):
    reply = get_reply_or_404(access, reply_id)
    reply.airtime.action_set = access.action_set  # links need the slug; not another query
    return reply


# --- Dashboard -----------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = get_readable_facilitation_or_404(request.user, set_slug)
    rounds = rounds_of(access.action_set)
    board = analytics.dashboard(access.action_set, rounds=rounds, scope=_scope(request, rounds), now=timezone.now())
    return render(request, "facilitation/dashboard.html", set_context(
        access, board=board, charts=charts.for_dashboard(board),
        open_flags=selectors.open_flag_count(access.action_set),
        effects=email_effects([access.action_set.pk], now=timezone.now()),
    ))


@login_required
def export(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = get_readable_facilitation_or_404(request.user, set_slug)
    rounds = rounds_of(access.action_set)
    scope = _scope(request, rounds)
    board = analytics.dashboard(access.action_set, rounds=rounds, scope=scope, now=timezone.now())
    response = HttpResponse(exports.dashboard_csv(board), content_type="text/csv; charset=utf-8")
    name = f"{access.action_set.slug}-{'round-' + str(scope.number) if scope else 'whole-set'}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def signals(request: HttpRequest, set_slug: str) -> HttpResponse:
    """The posts behind an advice-signal count: the heuristic, shown with its evidence."""
    access = get_readable_facilitation_or_404(request.user, set_slug)
    rounds = rounds_of(access.action_set)
    scope = _scope(request, rounds)
    member = request.GET.get("member", "")
    author_id = int(member) if member.isdigit() else None
    page = Paginator(selectors.signal_posts(access.action_set, scope=scope, author_id=author_id),
                     SIGNALS_PAGE_SIZE).get_page(request.GET.get("page"))
    language = access.action_set.language
    posts = selectors.with_signals(list(page.object_list), language)
    word_list = word_list_for(language)
    return render(request, "facilitation/signals.html", set_context(
        access, page=page, posts=posts, scope=scope, rounds=rounds, author_id=author_id,
        signal_labels=[selectors.signal_label(name) for name, _pattern_doc, _p in word_list.patterns] if word_list else [],
        word_list_missing=analytics.language_name(language) if word_list is None else "",
    ))


# --- Moderation ----------------------------------------------------------------------------


@login_required
def moderation(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = get_facilitated_set_or_404(request.user, set_slug)
    return render(request, "facilitation/moderation.html", set_context(
        access, queue=selectors.moderation_queue(access.action_set), resolve_form=ResolveForm(),
    ))


@login_required
def log(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = get_facilitated_set_or_404(request.user, set_slug)
    page = Paginator(selectors.moderation_log(access.action_set), LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    actions = list(page.object_list)
    selectors.attach_log_targets(access.action_set, actions)
    return render(request, "facilitation/log.html", set_context(access, page=page, actions=actions))


@login_required
@require_POST
def reply_hide(request: HttpRequest, set_slug: str, reply_id: int) -> HttpResponse:
    access = get_facilitated_set_or_404(request.user, set_slug)
    reply = _reply_in_set(access, reply_id)
    form = HideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why you are hiding it: the author will see this reason."))
    else:
        _attempt(request, lambda: services.hide_reply(actor=request.user, reply=reply, **form.cleaned_data),
                 _("Hidden. Members see that the facilitator hid it; the author sees your reason."))
    return _back(request, access, reply.get_absolute_url())


@login_required
@require_POST
def reply_restore(request: HttpRequest, set_slug: str, reply_id: int) -> HttpResponse:
    access = get_facilitated_set_or_404(request.user, set_slug)
    reply = _reply_in_set(access, reply_id)
    _attempt(request, lambda: services.restore_reply(actor=request.user, reply=reply, reason=_reason(request)),
             _("Restored: everyone can read it again."))
    return _back(request, access, reply.get_absolute_url())


def _lock(request: HttpRequest, set_slug: str, airtime_id: int, *, locked: bool) -> HttpResponse:
    access = get_facilitated_set_or_404(request.user, set_slug)
    airtime = get_airtime_or_404(access, airtime_id)
    airtime.action_set = access.action_set
    service = services.lock_airtime if locked else services.unlock_airtime
    _attempt(request, lambda: service(actor=request.user, airtime=airtime, reason=_reason(request)),
             _("Locked: the thread takes no new replies.") if locked else _("Unlocked: members can reply again."))
    return _back(request, access, airtime.get_absolute_url())


@login_required
@require_POST
def airtime_lock(request: HttpRequest, set_slug: str, airtime_id: int) -> HttpResponse:
    return _lock(request, set_slug, airtime_id, locked=True)


@login_required
@require_POST
def airtime_unlock(request: HttpRequest, set_slug: str, airtime_id: int) -> HttpResponse:
    return _lock(request, set_slug, airtime_id, locked=False)


@login_required
@require_POST
def flag_resolve(request: HttpRequest, set_slug: str, flag_id: int) -> HttpResponse:
    access = get_facilitated_set_or_404(request.user, set_slug)
    flag = get_flag_or_404(access, flag_id)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what you did about the flag."))
    else:
        _attempt(request, lambda: services.resolve_flag(actor=request.user, flag=flag, **form.cleaned_data),
                 _("Flag resolved."))
    return redirect("facilitation:moderation", set_slug=set_slug)


# --- Annotations ---------------------------------------------------------------------------


@login_required
@require_POST
def reply_annotate(request: HttpRequest, set_slug: str, reply_id: int) -> HttpResponse:
    access = get_facilitated_set_or_404(request.user, set_slug)
    reply = _reply_in_set(access, reply_id)
    form = AnnotateForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        _attempt(request, lambda: services.annotate_reply(facilitator=request.user, reply=reply, **form.cleaned_data),
                 _("Coded as “%(code)s”.") % {"code": form.cleaned_data["code"].label})
    return _back(request, access, reply.get_absolute_url())


@login_required
@require_POST
def annotation_remove(request: HttpRequest, set_slug: str, annotation_id: int) -> HttpResponse:
    access = get_facilitated_set_or_404(request.user, set_slug)
    annotation = get_annotation_or_404(access, annotation_id)
    annotation.reply.airtime.action_set = access.action_set
    url = annotation.reply.get_absolute_url()
    _attempt(request, lambda: services.remove_annotation(facilitator=request.user, annotation=annotation),
             _("Annotation removed."))
    return _back(request, access, url)


# --- Rounds --------------------------------------------------------------------------------


def _rounds_page(request, access, *, new_form=None, bound=None, status=200) -> HttpResponse:
    now = timezone.now()
    rounds = selectors.rounds_overview(access.action_set)
    for rnd in rounds:
        rnd.current_state = rnd.state_at(now)
        if rnd.current_state != "closed":
            rnd.form = bound if bound is not None and bound.prefix == f"round-{rnd.pk}" else RoundDatesForm.for_round(rnd)
    return render(request, "facilitation/rounds.html", set_context(
        access, rounds=rounds, new_form=new_form or RoundForm(prefix="new"),
    ), status=status)


@login_required
def rounds(request: HttpRequest, set_slug: str) -> HttpResponse:
    return _rounds_page(request, get_facilitated_set_or_404(request.user, set_slug))


@login_required
@require_POST
def round_new(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = get_facilitated_set_or_404(request.user, set_slug)
    form = RoundForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            new = set_services.schedule_round(action_set=access.action_set, opens_at=form.cleaned_data["opens_at"],
                                              closes_at=form.cleaned_data["closes_at"], actor=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Round %(number)s is scheduled.") % {"number": new.number})
            return redirect("facilitation:rounds", set_slug=set_slug)
    return _rounds_page(request, access, new_form=form, status=400)


@login_required
@require_POST
def round_change(request: HttpRequest, set_slug: str, number: int) -> HttpResponse:
    access = get_facilitated_set_or_404(request.user, set_slug)
    rnd = get_round_or_404(access, number)
    form = RoundDatesForm.for_round(rnd, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.reschedule_round(actor=request.user, round=rnd, opens_at=data["opens_at"] or rnd.opens_at,
                                      closes_at=data["closes_at"], reason=data["reason"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Round %(number)s's dates are changed.") % {"number": rnd.number})
            return redirect("facilitation:rounds", set_slug=set_slug)
    return _rounds_page(request, access, bound=form, status=400)


@login_required
@require_POST
def round_close(request: HttpRequest, set_slug: str, number: int) -> HttpResponse:
    access = get_facilitated_set_or_404(request.user, set_slug)
    rnd = get_round_or_404(access, number)
    _attempt(request, lambda: services.close_round_early(actor=request.user, round=rnd, reason=_reason(request)),
             _("Round %(number)s is closed. Its threads take facilitator summaries only.") % {"number": rnd.number})
    return redirect("facilitation:rounds", set_slug=set_slug)


def _round_moved(request: HttpRequest, set_slug: str, round_id: int, to: str) -> HttpResponse:
    """The id-addressed round URLs before issue 12, kept for pages and emails that still hold them.
    Facilitators only, like the page it leads to (the redirect names the round's number), and a
    308 so a form posted to the old address is posted again, body and all, to the new one."""
    access = get_facilitated_set_or_404(request.user, set_slug)
    rnd = get_round_by_id_or_404(access, round_id)
    return redirect(to, set_slug=set_slug, number=rnd.number, permanent=True, preserve_request=True)


@login_required
def round_change_moved(request: HttpRequest, set_slug: str, round_id: int) -> HttpResponse:
    return _round_moved(request, set_slug, round_id, "facilitation:round_change")


@login_required
def round_close_moved(request: HttpRequest, set_slug: str, round_id: int) -> HttpResponse:
    return _round_moved(request, set_slug, round_id, "facilitation:round_close")


# --- Members flag a reply ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def flag(request: HttpRequest, set_slug: str, airtime_id: int, reply_id: int) -> HttpResponse:
    access = get_set_or_404(request.user, set_slug)
    airtime = get_airtime_or_404(access, airtime_id)
    reply = get_reply_or_404(access, reply_id, airtime=airtime)
    if not can_flag(access, reply):
        raise Http404
    reply.airtime = airtime
    airtime.action_set = access.action_set
    if reply.pk not in {r.pk for r in visible_replies_for(request.user, airtime, timezone.now())}:
        raise Http404  # ask-before-you-see: this member may not read it yet
    form = FlagForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and over_limit(request, "flag"):
            form.add_error(None, MESSAGES["flag"])
            status = 429
        elif form.is_valid():
            try:
                services.flag_reply(member=request.user, reply=reply, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Thank you. The facilitator will look at it; nobody else sees your flag."))
                return redirect(reply)
    return render(request, "facilitation/flag.html", set_context(access, airtime=airtime, reply=reply, form=form),
                  status=status)


# --- Coding agreement (docs/research.md, section 2) ---------------------------------------------


def _facilitators(action_set):
    """Who may code a sample: the set's facilitators and its researchers (coding_services.CODER_ROLES)."""
    return [m.user for m in Membership.objects.current().filter(action_set=action_set,
                                                                 role__in=coding_services.CODER_ROLES)
            .select_related("user").order_by("user__display_name", "user__email")]


def _coding_page(request, access, form, status=200) -> HttpResponse:
    samples = list(access.action_set.coding_samples.select_related("scheme", "round", "created_by")
                   .prefetch_related("coders"))
    return render(request, "facilitation/coding.html", set_context(access, samples=samples, form=form), status=status)


@login_required
@require_http_methods(["GET", "POST"])
def coding(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = get_readable_facilitation_or_404(request.user, set_slug)
    if request.method == "POST":
        check_facilitator(access)  # drawing a sample is the facilitators'; researchers code in one
    rounds = rounds_of(access.action_set)
    facilitators = _facilitators(access.action_set)
    form = SampleForm(request.POST or None, rounds=rounds, facilitators=facilitators,
                      initial={"coders": [u.pk for u in facilitators]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sample = coding_services.create_sample(
                actor=request.user, action_set=access.action_set, name=data["name"], scheme=data["scheme"],
                mode=data["mode"], size=data["size"],
                round=next((r for r in rounds if r.number == data["round"]), None),
                coders=[u for u in facilitators if u.pk in data["coders"]],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            count = sample.replies.count()
            messages.success(request, ngettext("Sample drawn: %(count)s reply. Code it blind.",
                                               "Sample drawn: %(count)s replies. Code them blind.", count)
                             % {"count": count})
            return redirect("facilitation:coding_sample", set_slug=set_slug, sample_id=sample.pk)
    return _coding_page(request, access, form, status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def coding_sample(request: HttpRequest, set_slug: str, sample_id: int) -> HttpResponse:
    """A coder's blind page: the sample's replies and only their own codes."""
    access = get_readable_facilitation_or_404(request.user, set_slug)
    sample = get_sample_or_404(access, sample_id)
    is_coder = sample.coders.filter(pk=request.user.pk).exists()
    replies, codes = coding_services.coding_page(sample, request.user)
    if request.method == "POST":
        if not is_coder:
            raise Http404
        by_pk = {str(c.pk): c for c in codes}
        chosen = {r.pk: by_pk.get(request.POST.get(f"code-{r.pk}", "")) for r in replies}
        if _attempt(request, lambda: coding_services.code_blind(
                coder=request.user, sample=sample, codes={k: v for k, v in chosen.items() if v is not None}),
                _("Your codes are saved. The others cannot see them.")):
            return redirect("facilitation:coding_sample", set_slug=set_slug, sample_id=sample.pk)
    return render(request, "facilitation/coding_sample.html", set_context(
        access, sample=sample, replies=replies, codes=codes, is_coder=is_coder,
        coded=sum(1 for r in replies if r.my_code),
    ))


@login_required
def coding_agreement(request: HttpRequest, set_slug: str, sample_id: int) -> HttpResponse:
    access = get_readable_facilitation_or_404(request.user, set_slug)
    sample = get_sample_or_404(access, sample_id)
    coder_ids = set(sample.coders.values_list("pk", flat=True))
    if not coding_services.may_see_agreement(sample, request.user.pk, coder_ids):
        return render(request, "facilitation/coding_agreement.html", set_context(access, sample=sample, blind=True))
    return render(request, "facilitation/coding_agreement.html", set_context(
        access, sample=sample, blind=False, report=coding_services.agreement(sample),
    ))


@login_required
@require_POST
def coding_agreed(request: HttpRequest, set_slug: str, sample_id: int) -> HttpResponse:
    access = get_facilitated_set_or_404(request.user, set_slug)
    sample = get_sample_or_404(access, sample_id)
    coder_ids = set(sample.coders.values_list("pk", flat=True))
    if not coding_services.may_see_agreement(sample, request.user.pk, coder_ids):
        raise Http404   # still coding blind: no agreed codes before your own are in
    form = AgreedForm(request.POST)
    if form.is_valid():
        code = sample.scheme.codes.filter(pk=form.cleaned_data["code"]).first()
        if code is None:
            messages.error(request, _("Choose one of the sample scheme's codes."))
        else:
            _attempt(request, lambda: coding_services.record_agreed(
                actor=request.user, sample=sample, reply_id=form.cleaned_data["reply"], code=code,
                note=form.cleaned_data["note"]), _("Agreed code recorded."))
    else:
        messages.error(request, _("Choose the agreed code."))
    target = reverse("facilitation:coding_agreement", kwargs={"set_slug": set_slug, "sample_id": sample.pk})
    return redirect(f"{target}#item-{form.cleaned_data.get('reply', '') if form.is_valid() else ''}")


# --- The researcher role (issue 17, docs/research.md) --------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def researchers(request: HttpRequest, set_slug: str) -> HttpResponse:
    """The set's researchers, and the form granting the role: the set's facilitators only."""
    access = get_facilitated_set_or_404(request.user, set_slug)
    form = ResearcherForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            granted = researcher_services.grant_researcher(actor=request.user, action_set=access.action_set,
                                                           email=form.cleaned_data["email"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, gettext("%(name)s is now a researcher of this set: they read it and post "
                                              "nothing. The members see it on the set page and in their next "
                                              "digest.") % {"name": granted.user.name})
            return redirect("facilitation:researchers", set_slug=set_slug)
    return render(request, "facilitation/researchers.html", set_context(
        access, researchers=researcher_services.researchers_of(access.action_set), form=form,
    ), status=400 if form.is_bound else 200)


@login_required
@require_POST
def researcher_revoke(request: HttpRequest, set_slug: str, membership_id: int) -> HttpResponse:
    access = get_facilitated_set_or_404(request.user, set_slug)
    membership = (Membership.objects.current().select_related("user", "action_set")
                  .filter(pk=membership_id, action_set=access.action_set, role=Membership.Role.RESEARCHER).first())
    if membership is None:
        raise Http404
    _attempt(request, lambda: researcher_services.revoke_researcher(actor=request.user, membership=membership),
             gettext("%(name)s no longer reads this set.") % {"name": membership.user.name})
    return redirect("facilitation:researchers", set_slug=set_slug)
