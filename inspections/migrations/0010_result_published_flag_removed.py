"""The ``published`` flag of results is gone: the review state says it (migration 0009)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("inspections", "0009_results_state_from_published")]
    operations = [
        migrations.RemoveField(
            model_name='historicalinspectionresult',
            name='published',
        ),
        migrations.RemoveField(
            model_name='inspectionresult',
            name='published',
        ),
    ]
