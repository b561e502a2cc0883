"""Reads of the LTI app."""

from dataclasses import dataclass

from accounts.models import User
from actionsets.models import ActionSet, Cohort, Membership

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext

from .models import Course, Platform, RegistrationLink


def active_user(user_id: int) -> User | None:
    return User.objects.filter(pk=user_id, is_active=True).first()


def landing_path(user: User, target: str) -> str:
    """Where a launch lands: the linked set if the person is a current member of it, else "my sets".
    The link never opens a set to someone who is not in it."""
    kind, _, slug = target.partition(":")
    if kind == "set" and slug:
        membership = (Membership.objects.current().filter(user=user, action_set__slug=slug)
                      .select_related("action_set").first())
        if membership is not None:
            return membership.action_set.get_absolute_url()
    return "/"


@dataclass(frozen=True)
class LinkChoice:
    key: str
    title: str
    cohort: Cohort
    action_set: ActionSet | None = None


def link_choices(user: User) -> dict[str, LinkChoice]:
    """What an instructor may link a course to: the sets they facilitate now and their cohorts; staff
    (who manage cohorts) any active cohort and its sets. Names only: nothing of a set's content."""
    sets = ActionSet.objects.select_related("cohort").filter(cohort__archived=False).order_by("cohort__name", "name")
    if not user.is_staff:
        sets = sets.filter(memberships__user=user, memberships__left_at__isnull=True,
                           memberships__role=Membership.Role.FACILITATOR)
    choices: dict[str, LinkChoice] = {}
    for action_set in sets:
        cohort = action_set.cohort
        choices.setdefault(f"cohort:{cohort.slug}", LinkChoice(f"cohort:{cohort.slug}",
                                                                 gettext("%(cohort)s (all sets)") % {"cohort": cohort.name},
                                                                 cohort))
        choices[f"set:{action_set.slug}"] = LinkChoice(f"set:{action_set.slug}", action_set.name, cohort, action_set)
    return choices


def platform_for(issuer: str, client_id: str = "") -> Platform | None:
    platforms = Platform.objects.filter(issuer=issuer, active=True)
    if client_id:
        platforms = platforms.filter(client_id=client_id)
    return platforms.order_by("pk").first()


def platforms_overview():
    return Platform.objects.order_by("name")


def courses_of(platform: Platform):
    return Course.objects.filter(platform=platform).select_related("cohort", "action_set").order_by("title")


def open_registration_links():
    from .registration import LINK_DAYS

    return RegistrationLink.objects.filter(used_at__isnull=True,
                                           created_at__gte=timezone.now() - timedelta(days=LINK_DAYS))
