"""Results become revisions: the old ``published`` flag turns into the review state."""

from django.db import migrations


def results_to_revisions(apps, schema_editor):
    """Each existing result becomes revision 1: published ones ``published`` (at the time they
    were recorded, the best the old schema knows), the others ``submitted`` (pending review);
    each rectification order points at the result of its task."""
    Result = apps.get_model("inspections", "InspectionResult")
    Order = apps.get_model("inspections", "RectificationOrder")
    for result in Result.objects.all().iterator():
        result.revision = 1
        if result.published:
            result.state = "published"
            result.published_at = result.recorded_at
        else:
            result.state = "submitted"
            result.submitted_at = result.recorded_at
        result.save(update_fields=["revision", "state", "published_at", "submitted_at"])
    for order in Order.objects.filter(result__isnull=True).iterator():
        order.result = Result.objects.filter(task_id=order.task_id).order_by("revision").first()
        order.save(update_fields=["result"])


class Migration(migrations.Migration):
    dependencies = [("inspections", "0008_results_revisions_ledger_replacements")]
    operations = [
        migrations.RunPython(results_to_revisions, migrations.RunPython.noop),
    ]
