"""Admin plumbing every domain admin uses: scoping, read-only records, scoped history.

* :class:`ScopedAdminMixin` — the change list, change, delete and history pages go through the
  model's ``for_user`` selector (another region's row answers 404, as a missing one); a row may be changed or
  deleted only if it is in the model's ``writable_by``; a list filter on a relation offers only
  the related rows of the rows listed (``RelatedOnlyFieldListFilter``); every foreign-key and many-to-many choice
  (select, raw-id and autocomplete alike: the posted value is checked against the field's
  queryset) comes from the related model's ``writable_by``.
* :class:`ScopedInlineMixin` — the same for inlines, whose rows are written only when the parent
  may be.
* :class:`ReadOnlyAdminMixin` — for records with legal effect (draws, results, orders, credit
  entries): they change only through their services, so the admin adds, changes and deletes
  nothing and has no bulk actions.
* :class:`ScopedHistoryAdmin` — django-simple-history's pages, which bypass the admin's
  queryset: the history list and a past version open only for a row the user may see, and the
  "revert" form never saves (its POST is refused).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from simple_history.admin import SimpleHistoryAdmin


def writable(user, obj) -> bool:
    """Whether ``obj`` (unsaved: yes) is in its model's ``writable_by(user)``; a model without a
    selector is left to the admin's model permissions."""
    if obj is None or obj.pk is None:
        return True
    qs = obj._meta.model._default_manager.all()
    if not hasattr(qs, "writable_by"):
        return True
    return qs.writable_by(user).filter(pk=obj.pk).exists()


def _choices(model, user):
    qs = model._default_manager.all()
    if hasattr(qs, "writable_by"):
        return qs.writable_by(user)
    return qs


class ScopedFieldsMixin:
    """Foreign-key and many-to-many choices from the related model's ``writable_by``."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            kwargs["queryset"] = _choices(db_field.remote_field.model, request.user)
        elif hasattr(kwargs["queryset"], "writable_by"):
            kwargs["queryset"] = kwargs["queryset"].writable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            kwargs["queryset"] = _choices(db_field.remote_field.model, request.user)
        elif hasattr(kwargs["queryset"], "writable_by"):
            kwargs["queryset"] = kwargs["queryset"].writable_by(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedAdminMixin(ScopedFieldsMixin):
    """Querysets through ``for_user``, writes limited to ``writable_by``, choices scoped."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.for_user(request.user) if hasattr(qs, "for_user") else qs

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and writable(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and writable(request.user, obj)

    def get_list_filter(self, request):
        """The stock filter of a relation lists every row of the related table (another
        province's plans, say); here it lists the related rows of the scoped change list."""
        out = []
        for entry in super().get_list_filter(request):
            if isinstance(entry, str) and get_fields_from_path(self.model, entry)[-1].is_relation:
                entry = (entry, admin.RelatedOnlyFieldListFilter)
            out.append(entry)
        return out

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        """A row outside the user's scope is 404, like a row that does not exist (the stock
        admin redirects to its index with a message naming the id)."""
        raise Http404


class ScopedInlineMixin(ScopedFieldsMixin):
    """Inline rows: choices scoped, and written only when the parent row may be."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and writable(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and writable(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and writable(request.user, obj)


class ReadOnlyAdminMixin:
    """For records written only by services: the admin shows them and changes nothing."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}


class ScopedHistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin with its pages scoped and its revert switched off.

    ``history_view`` of the stock class falls back to the last historical version when the row
    is outside the admin's queryset, and ``history_form_view`` (the "revert" page) neither
    scopes nor refuses a POST: either would read or write another region's rows. Here both
    answer 404 for a row outside ``get_queryset``, and the version page is read-only.
    """

    def revert_disabled(self, request, obj=None):
        return True

    def _visible(self, request, object_id) -> None:
        pk_name = self.model._meta.pk.attname
        if not self.get_queryset(request).filter(**{pk_name: unquote(object_id)}).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        self._visible(request, object_id)
        if not self.has_view_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
