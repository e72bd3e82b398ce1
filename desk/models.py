"""What the site keeps for each account's desk, and the digests it has sent."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_calendar_secret():
    return secrets.token_urlsafe(32)


class Desk(models.Model):
    """An account's desk: when it last looked, its digest, its calendar feed's secret.

    Made when first needed (`Desk.of()`): an account that never opened its desk still
    gets its digest.
    """

    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="desk",
        verbose_name=_("account"),
    )
    last_visit = models.DateTimeField(_("last visit"), null=True, blank=True)
    previous_visit = models.DateTimeField(
        _("previous visit"),
        null=True,
        blank=True,
        help_text=_("The desk shows what changed since then."),
    )
    digest = models.BooleanField(
        _("weekly digest by email"),
        default=True,
        help_text=_("Sent to the account's email address, if it has one."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The digest's language: the one the desk was last read in."),
    )
    calendar_secret = models.CharField(
        _("calendar secret"), max_length=64, unique=True, default=new_calendar_secret
    )

    class Meta:
        verbose_name = _("desk")
        verbose_name_plural = _("desks")

    def __str__(self):
        return str(self.account)

    @classmethod
    def of(cls, account):
        desk, _created = cls.objects.get_or_create(account=account)
        return desk

    def renew_calendar_secret(self):
        """A new secret: the feed's old address stops working."""
        self.calendar_secret = new_calendar_secret()
        self.save(update_fields=["calendar_secret"])


class DigestSent(models.Model):
    """A weekly digest sent to an account: one a week at most."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digests_sent",
        verbose_name=_("account"),
    )
    week = models.DateField(_("week"), help_text=_("The Monday the week starts on."))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    items = models.PositiveIntegerField(_("items"), default=0)

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        constraints = [
            models.UniqueConstraint(fields=["account", "week"], name="one_digest_a_week"),
        ]

    def __str__(self):
        return f"{self.account} {self.week:%Y-%m-%d}"
