"""drf-spectacular hooks of the schema at ``/api/schema/``."""

from __future__ import annotations


def exclude_language_mirrors(endpoints, **kwargs):
    """Leave the ``/en/api/v1/…`` mirror out of the schema: it is ``/api/v1/…`` answering in
    English (documented there through ``Accept-Language``), not another API."""
    return [endpoint for endpoint in endpoints if not endpoint[0].startswith("/en/")]
