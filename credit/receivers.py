"""The credit effect of published inspection results (seed 002 §三(三), §五(三): inspection and
penalty information is recorded under the institution's name; DOMAIN.md: credit follows the
correction).

Connected in ``credit.apps.CreditConfig.ready`` to ``inspections.signals.result_published``,
inside the publication's transaction: a published revision writes its event (the mapping
below), and a correction supersedes the events of the revision it corrects.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from inspections.models import FollowUpMeasure, ResultCategory

from .models import CreditEventKind
from .services import credit_event_record, credit_events_supersede


def credit_kind(category: str, follow_up: str) -> tuple[str, bool] | None:
    """``(credit event kind, is public)`` for a result, or ``None`` when nothing is recorded:
    non-cooperation → ``non_cooperation``; other problems → ``rectification_ordered`` /
    ``case_opened`` / ``inspection_problem`` by follow-up (public); no problem →
    ``inspection_clean`` (not public); no activity, closed, deregistered → none."""
    if category == ResultCategory.NON_COOPERATION:
        return CreditEventKind.NON_COOPERATION, True
    if category in ResultCategory.problem_found():
        kind = {FollowUpMeasure.RECTIFICATION: CreditEventKind.RECTIFICATION_ORDERED,
                FollowUpMeasure.CASE_OPENED: CreditEventKind.CASE_OPENED}.get(
                    follow_up, CreditEventKind.INSPECTION_PROBLEM)
        return kind, True
    if category == ResultCategory.NO_PROBLEM:
        return CreditEventKind.INSPECTION_CLEAN, False
    return None


def on_result_published(sender, *, result, superseded, user, **kwargs) -> None:
    """Write the credit event of ``result`` and supersede those of ``superseded``."""
    task = result.task
    event = None
    mapped = credit_kind(result.category, result.follow_up)
    if mapped is not None:
        kind, is_public = mapped
        with translation.override(settings.LANGUAGE_CODE):  # the credit file's language
            description = _("%(plan)s: %(result)s. %(findings)s") % {
                "plan": task.plan.title, "result": result.get_category_display(),
                "findings": result.findings}
            if result.corrects_id is not None:
                description = _("%(text)s (corrected, revision %(n)d)") % {
                    "text": description.strip(), "n": result.revision}
        event = credit_event_record(
            institution=task.institution, kind=kind, occurred_on=result.checked_on,
            description=description.strip(), source_task=task, source_result=result,
            is_public=is_public, user=user)
    if superseded is not None:
        credit_events_supersede(source_result=superseded, by=event,
                                reason=result.correction_reason, at=result.published_at)
