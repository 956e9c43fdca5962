"""Officials' page of one duty: its record and its completed occurrences, with the evidence's photos and files.

Files are served only through `duty_completion_attachment`, after the same checks as the page: the
official oversees the duty's community and may read its evidence (accountability.selectors.duty_evidence).
"""

from django.shortcuts import get_object_or_404, render
from django.urls import path

from accountability.models import Duty, DutyCompletionAttachment
from accountability.selectors import duty_evidence
from coproduction.downloads import stored_attachment_download
from partners.models import Community
from web.access import official_required

# A duty's page shows this many of its latest completions; older ones stay in the API and the admin.
COMPLETIONS_SHOWN = 50


def _overseen_evidence(user):
    return duty_evidence(user).filter(duty__project__community__in=Community.objects.overseen_by(user).values("pk"))


@official_required
def duty_detail(request, pk):
    """Who answers for the duty, when it is due, and each completed occurrence with its evidence."""
    duty = get_object_or_404(
        Duty.objects.visible_to(request.user)
        .filter(project__community__in=Community.objects.overseen_by(request.user).values("pk"))
        .select_related("project__community", "accountable__organisation"),
        pk=pk,
    )
    completions = (
        _overseen_evidence(request.user)
        .filter(duty=duty)
        .select_related("completed_by")
        .prefetch_related("attachments")
        .order_by("-due_on", "-pk")[:COMPLETIONS_SHOWN]
    )
    return render(
        request,
        "dashboard/duties/detail.html",
        {
            "duty": duty,
            "community": duty.project.community,
            "section": "breaches",
            "completions": completions,
        },
    )


@official_required
def duty_completion_attachment(request, pk, attachment_id):
    """A photo or file of a duty's evidence, for the officials overseeing the duty's community."""
    completion = get_object_or_404(_overseen_evidence(request.user), pk=pk)
    attachment = get_object_or_404(DutyCompletionAttachment.objects.filter(completion=completion), pk=attachment_id)
    return stored_attachment_download(attachment, prefix=f"duty-completion-{completion.pk}")


urls = [
    path("duties/<int:pk>/", duty_detail, name="duty_detail"),
    path(
        "duty-completions/<int:pk>/attachments/<int:attachment_id>/",
        duty_completion_attachment,
        name="duty_completion_attachment",
    ),
]
