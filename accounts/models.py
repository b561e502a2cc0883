"""Accounts: a custom user whose login is the email address."""

import zoneinfo

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from .validators import validate_no_control_characters

TIMEZONE_CHOICES = sorted((tz, tz.replace("_", " ")) for tz in zoneinfo.available_timezones())


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email: str) -> "User":
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    class DigestFrequency(models.TextChoices):
        OFF = "off", _("No digest")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly (Mondays)")

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=80, blank=True, validators=[validate_no_control_characters])
    timezone = models.CharField(max_length=64, choices=TIMEZONE_CHOICES, default="UTC")
    # The language of pages and emails (settings.LANGUAGES). Blank: automatic, the browser's
    # Accept-Language, else LANGUAGE_CODE (accounts/middleware.py language_for; issue 18).
    language = models.CharField(max_length=16, blank=True, default="", db_default="", choices=settings.LANGUAGES)
    digest_frequency = models.CharField(
        max_length=8, choices=DigestFrequency.choices, default=DigestFrequency.DAILY
    )
    digest_hour = models.PositiveSmallIntegerField(
        default=7, help_text="Local hour (0–23) at which the digest is sent."
    )
    nudges_enabled = models.BooleanField(default=True)
    # Reciprocal, as in messaging apps: off, I am not shown as having read an airtime and I do not
    # see who has read one (issue 19).
    read_receipts = models.BooleanField(default=True, db_default=True)
    # Set when a profile picture is stored (ProfilePicture): part of its URL, so a new picture is a
    # new URL and browsers may cache each one. Empty: initials on a colour.
    picture_version = models.CharField(max_length=16, blank=True, editable=False, default="", db_default="")
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=dj_timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(digest_hour__gte=0, digest_hour__lte=23),
                name="user_digest_hour_0_23",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name

    @property
    def initials(self) -> str:
        """One or two letters for the default picture: first letters of the first and last words."""
        words = [w for w in self.name.replace(".", " ").split() if w[:1].isalnum()]
        if not words:
            return "?"
        letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
        return letters.upper()

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")


class ProfilePicture(models.Model):
    """A member's face: re-encoded server-side (accounts/images.py), at most PICTURE_SIDE pixels
    square, EXIF stripped. Small enough (tens of KB) to live in the database beside the user; it is
    served only to people who share a current set with them (actionsets.views.people)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="picture")
    image = models.BinaryField()
    content_type = models.CharField(max_length=40)
    updated_at = models.DateTimeField(default=dj_timezone.now)

    def __str__(self) -> str:
        return f"Picture of {self.user}"
