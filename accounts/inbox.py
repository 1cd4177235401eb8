"""The in-site inbox: a user's notifications, newest first, each opening the page that acts on
it (``accounts.notifications``). Every account has one; nobody reads another's."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import Notification
from .notifications import notification_open, notifications_read_all

PAGE_SIZE = 30


@login_required
def inbox(request):
    """``GET /accounts/inbox/[?unread=1&page=N]``: the user's notifications, 30 a page."""
    notifications = Notification.objects.for_user(request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        notifications = notifications.unread()
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/inbox.html", {"page": page, "unread_only": unread_only})


@login_required
@require_POST
def notification_open_view(request, pk: int):
    """``POST /accounts/inbox/<id>/open/``: mark it read and go to its page (404 if it is not
    the user's)."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    notification_open(notification=notification, user=request.user)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = "inbox"
    return redirect(target)


@login_required
@require_POST
def inbox_read_all(request):
    """``POST /accounts/inbox/read-all/``: mark every notification of the user read."""
    notifications_read_all(user=request.user)
    return redirect("inbox")
