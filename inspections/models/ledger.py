"""The public ledger: an append-only, hash-chained, signed log of the acts that bind the record.

One chain for the whole platform. Each entry stores ``body`` — the canonical JSON its hash is
taken over (``common.ledger.entry_body``: seq, previous hash, time, kind, plan, payload) — with
that hash and the platform's Ed25519 signature of it. The columns ``seq``, ``kind``, ``plan`` and
``recorded_at`` repeat what the body says, for queries; what is published and verified is the
body. Database triggers refuse any UPDATE or DELETE (migration ``0009``). Written only by
``inspections.services.ledger.ledger_append``. Specification: ``docs/draw.md`` §9.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class LedgerKind(models.TextChoices):
    PLAN_PUBLISHED = "plan_published", _("Plan published")
    DRAW_COMMITTED = "draw_committed", _("Draw committed")
    DRAW_RUN = "draw_run", _("Draw run")
    REPLACEMENT_REQUESTED = "replacement_requested", _("Replacement requested")
    REPLACEMENT_DECIDED = "replacement_decided", _("Replacement decided")
    RESULTS_PUBLISHED = "results_published", _("Results published")


class LedgerEntryQuerySet(models.QuerySet):
    def public(self) -> LedgerEntryQuerySet:
        """Every entry is public (the ledger holds only what the public record shows)."""
        return self.all()

    def update(self, **kwargs):  # noqa: D102 - append-only
        raise ValidationError(_("The public ledger is append-only."))

    def delete(self):  # noqa: D102 - append-only
        raise ValidationError(_("The public ledger is append-only."))


class LedgerEntry(models.Model):
    """One entry of the public ledger (see the module docstring)."""

    seq = models.PositiveBigIntegerField(_("sequence number"), primary_key=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    kind = models.CharField(_("kind"), max_length=32, choices=LedgerKind.choices)
    plan = models.ForeignKey("inspections.SpotCheckPlan", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="ledger_entries",
                             verbose_name=_("plan"))
    body = models.TextField(_("canonical body"))
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    entry_hash = models.CharField(_("hash (SHA-256)"), max_length=64, unique=True)
    signature = models.CharField(_("signature (Ed25519)"), max_length=128)
    key_id = models.CharField(_("key fingerprint"), max_length=16)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("The public ledger is append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The public ledger is append-only."))

    @property
    def payload(self) -> dict:
        return json.loads(self.body)["payload"]

    def published(self) -> dict:
        """The entry as the public log serves it: the body's fields plus ``hash``,
        ``signature`` and ``key``."""
        return {**json.loads(self.body), "hash": self.entry_hash, "signature": self.signature,
                "key": self.key_id}
