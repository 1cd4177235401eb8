"""Output shapes of the public record (一公开): open-data lists of published plans, draws and
results (``/api/v1/``), and the documented shapes of the ``/api/public/`` record.

Only what is published: a plan past draft (``SpotCheckPlan.objects.published()``), the draws
of such a plan (``Draw.objects.published()``; never the server seed, which the detail shows
only after the run), the published revision of each result (``InspectionResult.objects
.published()``; never the findings text, whose digest is in the ledger). Labels (``*_label``)
are in the active language. Sources: seed 002 §五(三) (publish results), seed 001 §三(三)
(double random, one public), docs/draw.md §8.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Draw, DrawStatus, InspectionResult, PlanQuota, SpotCheckPlan


def _url(serializer: serializers.Serializer, name: str, *args) -> str:
    """``reverse(name, args)``, absolute when the serializer has a request in its context."""
    path = reverse(name, args=args)
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class PlanRefSerializer(serializers.ModelSerializer):
    """``{id, title}`` of a plan."""

    class Meta:
        model = SpotCheckPlan
        fields = ["id", "title"]
        read_only_fields = fields


class InstitutionRefSerializer(serializers.Serializer):
    """``{uscc, name}`` of an institution (public fields only)."""

    uscc = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class QuotaOpenSerializer(serializers.ModelSerializer):
    """One quota of a plan: ``{field, field_name, count, national_centre_count}`` (``field``
    is the 2-digit testing-field code of the stratum; counts may be null when the plan
    allocates a total or a ratio)."""

    field = serializers.CharField(source="field.code", read_only=True)
    field_name = serializers.CharField(source="field.name", read_only=True)

    class Meta:
        model = PlanQuota
        fields = ["field", "field_name", "count", "national_centre_count"]
        read_only_fields = fields


class PlanOpenSerializer(serializers.ModelSerializer):
    """A published spot-check plan.

    ``{id, title, year, authority, jurisdiction_code, jurisdiction_name, certificate_level,
    certificate_level_label, period_start, period_end, status, status_label, published_at,
    selection_mode, total, ratio, national_centre_count, quotas: [{field, field_name, count,
    national_centre_count}], results_url}``; ``jurisdiction_*`` are null for a national plan;
    ``ratio`` is a decimal string; ``results_url`` is ``/api/public/plans/{id}/results/``."""

    authority = serializers.CharField(source="authority.name", read_only=True)
    jurisdiction_code = serializers.CharField(source="region_id", read_only=True,
                                              allow_null=True)
    jurisdiction_name = serializers.CharField(source="region.name", read_only=True,
                                              allow_null=True)
    certificate_level_label = serializers.CharField(source="get_certificate_level_display",
                                                    read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    quotas = QuotaOpenSerializer(many=True, read_only=True)
    results_url = serializers.SerializerMethodField()

    class Meta:
        model = SpotCheckPlan
        fields = ["id", "title", "year", "authority", "jurisdiction_code", "jurisdiction_name",
                  "certificate_level", "certificate_level_label", "period_start", "period_end",
                  "status", "status_label", "published_at", "selection_mode", "total", "ratio",
                  "national_centre_count", "quotas", "results_url"]
        read_only_fields = fields

    def get_results_url(self, obj: SpotCheckPlan) -> str:
        """The plan's public results record."""
        return _url(self, "api-plan-results", obj.pk)


class DrawOpenSerializer(serializers.ModelSerializer):
    """The summary of a draw of a published plan.

    ``{id, plan: {id, title}, kind, kind_label, status, status_label, parent,
    algorithm_version, pool_size, pool_digest, inspector_pool_digest, commitment,
    committed_at, external_known_at, completed_at, seed, url, pool_url}``; ``seed`` is null
    until the draw has run; ``url`` is the full record (``/api/public/draws/{id}/``),
    ``pool_url`` the frozen pool whose SHA-256 is ``pool_digest``."""

    plan = PlanRefSerializer(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    committed_at = serializers.DateTimeField(source="created_at", read_only=True)
    seed = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    pool_url = serializers.SerializerMethodField()

    class Meta:
        model = Draw
        fields = ["id", "plan", "kind", "kind_label", "status", "status_label", "parent",
                  "algorithm_version", "pool_size", "pool_digest", "inspector_pool_digest",
                  "commitment", "committed_at", "external_known_at", "completed_at", "seed",
                  "url", "pool_url"]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "nullable": True,
                          "description": "SHA-256 seed, once the draw has run."})
    def get_seed(self, obj: Draw) -> str | None:
        """The seed once the draw has run, else ``None``."""
        return None if obj.status == DrawStatus.COMMITTED else (obj.seed or None)

    def get_url(self, obj: Draw) -> str:
        """The draw's full public record."""
        return _url(self, "api-draw-detail", obj.pk)

    def get_pool_url(self, obj: Draw) -> str:
        """The draw's frozen institution pool."""
        return _url(self, "api-draw-pool", obj.pk)


class ResultOpenSerializer(serializers.ModelSerializer):
    """A published inspection result (the revision in force of one task).

    ``{id, plan: {id, title}, task, institution: {uscc, name}, category, category_label,
    follow_up, follow_up_label, checked_on, revision, corrected, corrects, correction_reason,
    published_at}``: ``corrected`` is true for a correction (更正), with ``corrects`` the
    revision it replaced and ``correction_reason`` why; otherwise ``corrects`` is null and the
    reason empty (seed 002 §五(三))."""

    plan = PlanRefSerializer(source="task.plan", read_only=True)
    institution = InstitutionRefSerializer(source="task.institution", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    follow_up_label = serializers.CharField(source="get_follow_up_display", read_only=True)
    corrected = serializers.SerializerMethodField()
    corrects = serializers.IntegerField(source="corrects.revision", read_only=True,
                                        allow_null=True)

    class Meta:
        model = InspectionResult
        fields = ["id", "plan", "task", "institution", "category", "category_label",
                  "follow_up", "follow_up_label", "checked_on", "revision", "corrected",
                  "corrects", "correction_reason", "published_at"]
        read_only_fields = fields

    def get_corrected(self, obj: InspectionResult) -> bool:
        """Whether this revision is a correction (更正) of an earlier one."""
        return obj.corrects_id is not None


# --- documented shapes of /api/public/ (what inspections.publication builds) ----------------

class DrawRecordSchema(serializers.Serializer):
    """The published draw record (docs/draw.md §8; ``inspections.publication.draw_record``).
    Keys after ``supplementary`` appear once the draw has run. Documentation only."""

    id = serializers.IntegerField()
    plan = PlanRefSerializer()
    kind = serializers.CharField()
    status = serializers.CharField()
    algorithm_version = serializers.CharField()
    parameters = serializers.JSONField(help_text="Quotas, allocation, weights, team rules.")
    pool_digest = serializers.CharField(help_text="SHA-256 of pool.tsv.")
    pool_size = serializers.IntegerField()
    pool_url = serializers.URLField()
    inspector_pool_digest = serializers.CharField()
    inspector_pool_url = serializers.URLField()
    exclusions = serializers.JSONField(help_text="Reason → count.")
    commitment = serializers.CharField(help_text="SHA-256 of the server seed.")
    committed_at = serializers.DateTimeField()
    external_sources = serializers.JSONField(help_text="[{name, known_at}] declared at commit.")
    external_known_at = serializers.DateTimeField(allow_null=True)
    parent = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField()
    replacement = serializers.JSONField(allow_null=True)
    supplementary = serializers.ListField(child=serializers.IntegerField())
    external_values = serializers.JSONField(required=False)
    external_value = serializers.CharField(required=False)
    seed = serializers.CharField(required=False)
    server_seed = serializers.CharField(required=False)
    completed_at = serializers.DateTimeField(required=False, allow_null=True)
    result = serializers.JSONField(required=False,
                                   help_text="{institutions, teams, problems}.")


class PlanResultsSchema(serializers.Serializer):
    """A published plan's tasks with their published results and superseded revisions
    (``inspections.publication.plan_results_record``). Documentation only."""

    plan = serializers.IntegerField()
    title = serializers.CharField()
    tasks = serializers.ListField(child=serializers.JSONField(), help_text=(
        "[{task, institution, draw, stratum, status, result: {…} | null, history: [{…}]}]"))


class LedgerHeadSchema(serializers.Serializer):
    """``{seq, hash, key}`` of the last ledger entry. Documentation only."""

    seq = serializers.IntegerField()
    hash = serializers.CharField()
    key = serializers.CharField(help_text="Fingerprint of the Ed25519 signing key.")
