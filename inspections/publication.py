"""The public record of a draw: the JSON an outsider verifies with ``scripts/verify_draw.py``."""

from __future__ import annotations

from django.urls import reverse

from .models import Draw, DrawStatus


def draw_record(draw: Draw, *, request=None) -> dict:
    """The published JSON of ``draw``.

    Always: ``id``, ``plan`` {id, title}, ``kind``, ``status``, ``algorithm_version``,
    ``parameters`` (quotas, allocation, weights, team rules), ``pool_digest``, ``pool_size``,
    ``pool_url``, ``inspector_pool_digest``, ``inspector_pool_url``, ``exclusions`` (reason →
    count), ``commitment``, ``committed_at``, ``parent``, ``reason``, ``supplementary`` (ids).
    After the draw also ``external_value``, ``seed``, ``server_seed``, ``completed_at`` and
    ``result`` {``institutions``: [{code, stratum, rank, key}], ``teams``: [{institution,
    members: [{code, department, leader, matched_field, fallback}]}], ``problems``}. Before the
    draw the server seed is never shown.
    """
    def url(name):
        path = reverse(name, args=[draw.pk])
        return request.build_absolute_uri(path) if request is not None else path

    record = {
        "id": draw.pk,
        "plan": {"id": draw.plan_id, "title": draw.plan.title},
        "kind": draw.kind,
        "status": draw.status,
        "algorithm_version": draw.algorithm_version,
        "parameters": draw.parameters,
        "pool_digest": draw.pool_digest,
        "pool_size": draw.pool_size,
        "pool_url": url("api-draw-pool"),
        "inspector_pool_digest": draw.inspector_pool_digest,
        "inspector_pool_url": url("api-draw-inspector-pool"),
        "exclusions": draw.exclusions,
        "commitment": draw.commitment,
        "committed_at": draw.created_at.isoformat(),
        "parent": draw.parent_id,
        "reason": draw.reason,
        "supplementary": list(draw.supplementary_draws.values_list("id", flat=True)),
    }
    if draw.status != DrawStatus.COMMITTED:
        record.update({
            "external_value": draw.external_value,
            "seed": draw.seed,
            "server_seed": draw.server_seed,
            "completed_at": draw.completed_at.isoformat() if draw.completed_at else None,
            "result": draw.result,
        })
    return record
