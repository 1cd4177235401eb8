"""Steps of the cycle through the real services, for tests: commit with a declared source, run
after its value is published, replace with a second person's approval, record, review and
publish results."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from inspections.services.draws import draw_commit, draw_execute
from inspections.services.replacements import replacement_decide, replacement_request_create
from inspections.services.results import result_record
from inspections.services.review import result_approve, results_publish, results_publish_preview

SOURCE = "测试福利彩票第2026001期开奖号码"


def sources(now: dt.datetime | None = None, *, hours: int = 1, name: str = SOURCE) -> list[dict]:
    """One declared source published ``hours`` after ``now``."""
    return [{"name": name, "known_at": (now or timezone.now()) + dt.timedelta(hours=hours)}]


def commit(plan, user, *, now: dt.datetime | None = None):
    """Commit the plan's draw with one source published an hour later."""
    return draw_commit(plan=plan, user=user, sources=sources(now), now=now)


def commit_ready(plan, user):
    """Commit the plan's draw two hours ago with a source published an hour ago, so that it
    can run now (a worker that takes the wall clock)."""
    return commit(plan, user, now=timezone.now() - dt.timedelta(hours=2))


def run(draw, user, value: str = "8 3 1 9 0 2"):
    """Run ``draw`` a minute after its declared value is published."""
    return draw_execute(draw_id=draw.pk, values=[value], user_id=user.pk if user else None,
                        now=draw.external_known_at + dt.timedelta(minutes=1))


def commit_and_run(plan, user, value: str = "8 3 1 9 0 2"):
    return run(commit(plan, user), user, value)


def replace_institution(task, requester, approver, *, reason: str = "deregistered",
                        value: str = "4 4 1"):
    """Request, approve and run the replacement of ``task``'s institution; return the draw."""
    request = replacement_request_create(task=task, kind="institution", reason=reason,
                                         evidence="注销公告 2026年第12号", user=requester)
    request = replacement_decide(request=request, approve=True, user=approver,
                                 sources=sources())
    return run(request.draw, approver, value)


def replace_member(assignment, requester, approver, *, value: str = "9 9 0"):
    """Request, approve and run the replacement of one team member; return the draw."""
    request = replacement_request_create(task=assignment.task, kind="inspector",
                                         assignment=assignment, reason="recusal_after_draw",
                                         evidence="检查前申报与该机构存在亲属关系", user=requester)
    request = replacement_decide(request=request, approve=True, user=approver,
                                 sources=sources())
    return run(request.draw, approver, value)


def record(task, inspector_user, *, category="no_problem", follow_up="none", findings="",
           checked_on: dt.date | None = None, **extra):
    """Record and submit a result for review."""
    return result_record(task=task, category=category, follow_up=follow_up, findings=findings,
                         checked_on=checked_on or timezone.localdate(), user=inspector_user,
                         submit=True, **extra)


def publish(plan, organizer):
    """Publish every approved result of ``plan`` (what the preview lists)."""
    ids = [r.pk for r in results_publish_preview(plan=plan, user=organizer)]
    return results_publish(plan=plan, user=organizer, result_ids=ids)


def record_approve_publish(task, inspector_user, reviewer, organizer, **content):
    """A result recorded, approved by ``reviewer`` and published by ``organizer``."""
    result = record(task, inspector_user, **content)
    result_approve(result=result, user=reviewer)
    publish(task.plan, organizer)
    result.refresh_from_db()
    return result
