"""Every write of the LTI app: who a launch is, the courses we have seen, and what they link to."""

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from actionsets.models import ActionSet, Cohort, Membership

from . import roles
from .models import Course, Identity, Platform

NO_ACCOUNT = "no_account"
EMAIL_TAKEN = "email_taken"

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"


class NoAccount(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _verified_enrolled_user(email: str) -> User | None:
    from allauth.account.models import EmailAddress

    if not email:
        return None
    address = (EmailAddress.objects.filter(email__iexact=email, verified=True, user__is_active=True)
               .select_related("user").first())
    if address is None or not Membership.objects.current().filter(user=address.user).exists():
        return None
    return address.user


@transaction.atomic
def account_for_launch(*, platform: Platform, claims: dict, now=None) -> User:
    """The account a launch signs in: by issuer + sub, then by the verified email of an enrolled
    account, else a new one when the platform allows it. Raises NoAccount otherwise."""
    now = now or timezone.now()
    subject = str(claims.get("sub") or "")
    if not subject:
        raise NoAccount(NO_ACCOUNT)  # an anonymous launch: nobody to sign in
    identity = Identity.objects.select_related("user").filter(platform=platform, subject=subject).first()
    if identity is not None:
        user = identity.user
        if not user.is_active:
            raise NoAccount(NO_ACCOUNT)
        Identity.objects.filter(pk=identity.pk).update(last_launch_at=now)
    else:
        email = str(claims.get("email") or "").strip().lower()
        user = _verified_enrolled_user(email)
        if user is None:
            if not (platform.allow_new_accounts and email):
                raise NoAccount(NO_ACCOUNT)
            if User.objects.filter(email__iexact=email).exists():
                raise NoAccount(EMAIL_TAKEN)  # theirs to prove first (sign in, or accept their invitation)
            name = str(claims.get("name") or " ".join(filter(None, [claims.get("given_name"), claims.get("family_name")])))
            user = User.objects.create(email=email, display_name=name[:80], password=make_password(None),
                                       date_joined=now)
        try:
            with transaction.atomic():
                Identity.objects.create(platform=platform, subject=subject, user=user, created_at=now, last_launch_at=now)
        except IntegrityError:  # a second launch of the same person at the same moment
            user = Identity.objects.get(platform=platform, subject=subject).user
    if platform.administrators_are_staff and roles.is_administrator(claims.get(CLAIM + "roles")) and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


@transaction.atomic
def record_course(*, platform: Platform, claims: dict) -> Course | None:
    """Remember the course a launch came from, with its roster service URL."""
    context = claims.get(CLAIM + "context") or {}
    if not context.get("id"):
        return None
    nrps = claims.get(NRPS_CLAIM) or {}
    course, _ = Course.objects.get_or_create(
        platform=platform, context_id=str(context["id"])[:255],
        defaults={"deployment_id": str(claims.get(CLAIM + "deployment_id", ""))[:255]},
    )
    changed = {"title": str(context.get("title") or context.get("label") or "")[:255],
               "memberships_url": str(nrps.get("context_memberships_url") or course.memberships_url)[:500]}
    if any(getattr(course, name) != value for name, value in changed.items()):
        Course.objects.filter(pk=course.pk).update(**changed)
        for name, value in changed.items():
            setattr(course, name, value)
    return course


@transaction.atomic
def link_course(*, course: Course, cohort: Cohort, action_set: ActionSet | None = None) -> Course:
    """An instructor's deep link says which cohort (and set) this course is for."""
    if action_set is not None and action_set.cohort_id != cohort.pk:
        raise ValueError("The set is not in that cohort.")
    course.cohort, course.action_set = cohort, action_set or course.action_set
    if course.action_set is not None and course.action_set.cohort_id != cohort.pk:
        course.action_set = None
    course.save(update_fields=["cohort", "action_set"])
    return course


@transaction.atomic
def update_course(*, actor, course: Course, action_set: ActionSet | None, scheduled_sync: bool) -> Course:
    if action_set is not None and action_set.cohort_id != course.cohort_id:
        raise ValueError("The set is not in this course's cohort.")
    course.action_set, course.scheduled_sync = action_set, scheduled_sync
    course.sync_by = actor if scheduled_sync else None
    course.save(update_fields=["action_set", "scheduled_sync", "sync_by"])
    return course


@transaction.atomic
def save_platform(*, form) -> Platform:
    """A registration from the /manage/ form (validated there)."""
    return form.save()
