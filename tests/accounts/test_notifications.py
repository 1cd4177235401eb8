"""Notifications (accounts.notifications): once per event and person, in the inbox and by mail
in the recipient's language, raised by the real services (a draw completes, an order is
issued)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.models import Notification, Role
from accounts.notifications import kind_register, notify
from accounts.tasks import notifications_mail
from inspections.models import InspectionTask, TaskAssignment
from tests.cycle import commit_and_run, record
from tests.draws.conftest import gd_approver, gd_organizer, provincial_plan  # noqa: F401
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PING = kind_register("test_ping", title="Ping %(n)s", body="Body %(n)s", params=("n",))


def test_an_event_reaches_each_person_once(regulator, outsider_regulator):
    first = notify(recipients=[regulator, outsider_regulator], kind="test_ping", key="ping:1",
                   params={"n": 1}, url="/inspections/review/")
    again = notify(recipients=[regulator, outsider_regulator, regulator], kind="test_ping",
                   key="ping:1", params={"n": 1})
    assert len(first) == 2 and again == []
    assert Notification.objects.filter(key="ping:1").count() == 2
    assert notify(recipients=[regulator], kind="test_ping", key="ping:2", params={"n": 2})


def test_inactive_accounts_get_nothing(regulator):
    regulator.is_active = False
    regulator.save()
    assert notify(recipients=[regulator], kind="test_ping", key="ping:3", params={"n": 3}) == []


def test_bad_calls_name_the_problem(regulator):
    with pytest.raises(ValueError, match="unknown notification kind"):
        notify(recipients=[regulator], kind="nope", key="k", params={})
    with pytest.raises(ValueError, match="needs the parameters n"):
        notify(recipients=[regulator], kind="test_ping", key="k", params={})
    with pytest.raises(ValueError, match="1 to 200 characters"):
        notify(recipients=[regulator], kind="test_ping", key="x" * 201, params={"n": 1})


def test_the_mail_goes_once_in_the_recipients_language(regulator, outsider_regulator,
                                                       django_capture_on_commit_callbacks):
    regulator.email, regulator.language = "gd@example.cn", "zh-hans"
    regulator.save()
    outsider_regulator.email, outsider_regulator.language = "hn@example.cn", "en"
    outsider_regulator.save()
    kind_register("test_lang", title=translation.gettext_lazy("Inbox"), body="",
                  params=())
    with django_capture_on_commit_callbacks(execute=True):
        created = notify(recipients=[regulator, outsider_regulator], kind="test_lang",
                         key="lang:1", url="/accounts/inbox/")
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {"gd@example.cn": "收件箱", "hn@example.cn": "Inbox"}
    assert all(m.body.endswith("/accounts/inbox/") for m in mail.outbox)
    assert notifications_mail([n.pk for n in created]) == 0  # run again: nothing more
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(key="lang:1", emailed_at__isnull=False).count() == 2


def test_a_completed_draw_tells_each_team_member(provincial_plan, gd_organizer):  # noqa: F811
    from inspections.models import Inspector

    users = []
    for n, inspector in enumerate(Inspector.objects.filter(authority=gd_organizer.authority)):
        inspector.user = UserFactory(username=f"ins{n}", role=Role.INSPECTOR,
                                     authority=gd_organizer.authority)
        inspector.save()
        users.append(inspector.user)
    draw = commit_and_run(provincial_plan, gd_organizer)
    members = TaskAssignment.objects.filter(draw=draw)
    sent = Notification.objects.filter(kind="task_assigned")
    assert sent.count() == members.count() > 0
    member = members.select_related("inspector__user", "task__institution").first()
    note = sent.get(recipient=member.inspector.user, key=f"task_assigned:assignment:{member.pk}")
    assert note.url == reverse("inspections:task_result", args=[member.task_id])
    with translation.override("zh-hans"):
        assert member.task.institution.name in note.title


def test_an_approved_order_tells_the_institution(provincial_plan, gd_organizer,  # noqa: F811
                                                 gd_approver):  # noqa: F811
    from inspections.services.review import result_approve

    commit_and_run(provincial_plan, gd_organizer)
    task = InspectionTask.objects.filter(plan=provincial_plan).first()
    staff = UserFactory(username="inst", role=Role.INSTITUTION, institution=task.institution)
    leader = UserFactory(username="leader", role=Role.INSPECTOR)
    member = task.assignments.filter(is_leader=True).first().inspector
    member.user = leader
    member.save()
    import datetime as dt

    result = record(task, leader, category="problem_pending", follow_up="rectification",
                    findings="原始记录不全", rectification_deadline=dt.date(2026, 12, 31),
                    rectification_requirements="补齐原始记录")
    result_approve(result=result, user=gd_approver)
    note = Notification.objects.get(recipient=staff, kind="rectification_ordered")
    order = task.rectification_orders.get()
    assert note.url == reverse("inspections:rectification_respond", args=[order.pk])
    assert note.params["deadline"] == "2026-12-31"


def test_the_inbox_is_personal(client_as, regulator, outsider_regulator):
    (mine,) = notify(recipients=[regulator], kind="test_ping", key="p:mine", params={"n": "甲"},
                     url="/inspections/review/")
    (theirs,) = notify(recipients=[outsider_regulator], kind="test_ping", key="p:theirs",
                       params={"n": "乙"})
    client = client_as(regulator)
    body = client.get(reverse("inbox")).content.decode()
    assert "Ping 甲" in body and "Ping 乙" not in body
    assert client.post(reverse("notification_open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    response = client.post(reverse("notification_open", args=[mine.pk]))
    assert response.status_code == 302 and response.url == "/inspections/review/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.get(reverse("notification_open", args=[mine.pk])).status_code == 405


def test_read_all_and_the_unread_badge(client_as, regulator, outsider_regulator):
    for n in range(3):
        notify(recipients=[regulator, outsider_regulator], kind="test_ping", key=f"b:{n}",
               params={"n": n})
    client = client_as(regulator)
    page = client.get(reverse("home")).content.decode()
    assert 'class="badge warn">3<' in page
    assert client.post(reverse("inbox_read_all")).status_code == 302
    assert not Notification.objects.filter(recipient=regulator, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=outsider_regulator,
                                       read_at__isnull=True).count() == 3
    assert client_as(None).get(reverse("inbox")).status_code == 302  # to the login
