"""LTI 1.3: the platforms we trust, our own signing keys, who is who on each platform, and the
platform courses linked to a cohort (for the roster sync).

A platform registration is what an LMS administrator and our staff agree on: the issuer, the
client id the platform gave us, its deployment ids, and its three URLs (login, token, JWKS).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from actionsets.models import ActionSet, Cohort


class Platform(models.Model):
    name = models.CharField(max_length=120, help_text="What staff call it, e.g. “Moodle (main campus)”.")
    issuer = models.URLField(max_length=255, help_text="The platform's issuer (iss), exactly as it sends it.")
    client_id = models.CharField(max_length=255, help_text="The client id the platform gave this tool.")
    deployment_ids = models.JSONField(default=list, blank=True,
                                      help_text="The deployment ids launches may carry; others are refused.")
    auth_login_url = models.URLField(max_length=500, help_text="OIDC authorisation endpoint.")
    auth_token_url = models.URLField(max_length=500, help_text="OAuth 2 token endpoint (for the roster service).")
    key_set_url = models.URLField(max_length=500, help_text="The platform's public keys (JWKS).")
    auth_audience = models.CharField(max_length=255, blank=True,
                                     help_text="Token audience, if the platform wants one other than the token URL.")
    allow_new_accounts = models.BooleanField(
        default=False, help_text="Create an account for a person who launches and has none. Off: only people "
                                 "already enrolled (matched by verified email) can come in.")
    administrators_are_staff = models.BooleanField(
        default=False, help_text="Give the platform's Administrators staff access to /manage/ when they launch.")
    frame_origins = models.CharField(
        max_length=500, blank=True, help_text="Web origins that show the tool in a frame, space-separated "
        "(e.g. https://canvas.example.edu). Empty: the issuer's origin.")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["issuer", "client_id"], name="lti_platform_issuer_client")]

    def __str__(self) -> str:
        return self.name

    @property
    def frame_origin_list(self) -> list[str]:
        return self.frame_origins.split() or [self.issuer]


class ToolKey(models.Model):
    """One of our RSA key pairs. The newest unretired key signs; retired keys stay in the JWKS for
    a grace period so platforms that cached them can still check what they signed."""

    kid = models.CharField(max_length=64, unique=True)
    private_key = models.TextField()
    public_key = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.kid


class Identity(models.Model):
    """A person on one platform (iss + sub) is this account."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="identities")
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_identities")
    created_at = models.DateTimeField(default=timezone.now)
    last_launch_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["platform", "subject"], name="lti_identity_platform_sub")]
        verbose_name_plural = "identities"

    def __str__(self) -> str:
        return f"{self.platform}: {self.subject}"


class Course(models.Model):
    """A platform course (LTI context) and, once an instructor linked it, the cohort (and set) it is for."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="courses")
    context_id = models.CharField(max_length=255)
    deployment_id = models.CharField(max_length=255)
    title = models.CharField(max_length=255, blank=True)
    memberships_url = models.URLField(max_length=500, blank=True, help_text="Names and Role Provisioning service.")
    cohort = models.ForeignKey(Cohort, null=True, blank=True, on_delete=models.SET_NULL, related_name="lti_courses")
    action_set = models.ForeignKey(ActionSet, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   help_text="The set new roster members join (a set of the cohort).")
    scheduled_sync = models.BooleanField(default=False, help_text="Sync the roster on the schedule (LTI_ROSTER_SYNC_MINUTES).")
    # Who turned the scheduled sync on: its enrolments are committed in their name.
    sync_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    last_synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["platform", "title"]
        constraints = [models.UniqueConstraint(fields=["platform", "context_id"], name="lti_course_platform_context")]

    def __str__(self) -> str:
        return self.title or self.context_id


def new_registration_key() -> str:
    import secrets

    return secrets.token_urlsafe(24)


class RegistrationLink(models.Model):
    """A one-time URL staff hand to a platform's administrator for LTI Dynamic Registration. Without
    one, nobody can register a platform: a registered platform is trusted to say who its users are."""

    key = models.CharField(max_length=64, unique=True, default=new_registration_key)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)
    platform = models.ForeignKey(Platform, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Registration link {self.pk}"
