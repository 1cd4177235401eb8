"""Bulk inserts of the registry import (``loaders.registry.copy``): ``COPY`` on PostgreSQL,
``bulk_create`` elsewhere; either way the rows stored are the objects given, keys set."""

from __future__ import annotations

import pytest

from institutions.models import Institution
from loaders.registry.copy import links_create, objects_create
from tests.factories import InstitutionFactory, field, region

pytestmark = pytest.mark.django_db

AWKWARD = ["tab\there", "line\nbreak\r\nend", "back\\slash \\N", "", "引号\"'", "\\t literal"]


def test_objects_are_stored_as_given_with_their_keys(ref):
    template = InstitutionFactory.build(region=region("440103"), primary_field=field("07"))
    objs = []
    for n, text in enumerate(AWKWARD):
        obj = InstitutionFactory.build(region=template.region, primary_field=template.primary_field,
                                       name=f"机构{n}{text}", address=text, contact_person="",
                                       cnas_accredited=n % 2 == 0, credit_class="")
        objs.append(obj)
    created = objects_create(Institution, objs)
    assert all(o.pk is not None and not o._state.adding for o in created)
    stored = {i.pk: i for i in Institution.objects.filter(pk__in=[o.pk for o in created])}
    for obj in created:
        row = stored[obj.pk]
        assert (row.name, row.address, row.uscc, row.cnas_accredited) == (
            obj.name, obj.address, obj.uscc, obj.cnas_accredited)
        assert row.created_at is not None and row.updated_at is not None  # auto_now(_add)
    again = InstitutionFactory()  # the sequence moved on: a later insert does not collide
    assert again.pk > max(o.pk for o in created)


def test_links_are_stored(ref):
    inst = InstitutionFactory()
    inst.fields.clear()
    through = Institution.fields.through
    links_create(through, "institution_id", [(inst.pk, field("07").pk), (inst.pk, field("17").pk)])
    assert set(inst.fields.values_list("code", flat=True)) == {"07", "17"}
