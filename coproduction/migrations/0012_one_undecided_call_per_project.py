"""One call for partners under way per project: later duplicates are cancelled, then the constraint holds."""

from django.conf import settings
from django.db import migrations, models

UNDECIDED = ("open", "reviewing")


def cancel_later_duplicates(apps, schema_editor):
    """Where a project had several calls under way, the first opened stays and the later ones are
    cancelled (their applications not awarded), so that the constraint below can be added."""
    Call = apps.get_model("coproduction", "Call")
    Application = apps.get_model("coproduction", "Application")
    kept: set[int] = set()
    later = []
    for call in Call.objects.filter(status__in=UNDECIDED).order_by("project_id", "opened_at", "pk"):
        if call.project_id in kept:
            later.append(call.pk)
        else:
            kept.add(call.project_id)
    if later:
        Call.objects.filter(pk__in=later).update(status="cancelled")
        Application.objects.filter(call__in=later, status="submitted").update(status="not_awarded")


class Migration(migrations.Migration):
    dependencies = [
        ("coproduction", "0011_need_answer"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(cancel_later_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="call",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ("open", "reviewing"))),
                fields=("project",),
                name="call_one_undecided_per_project",
                violation_error_message="A project has one call for partners under way at a time.",
            ),
        ),
    ]
