"""Admin for selection: calls for partners, applications, reviews, criteria and conflicts of interest.

Calls, applications and reviews are written by the selection workflow (coproduction/services/selection.py),
which checks who may take part and who may score; the admin shows them and offers the official's
steps on a call, awarding and cancelling, as small forms calling that workflow.
"""

from django import forms
from django.contrib import admin
from django.db.models import Avg, Count
from django.utils.translation import gettext_lazy as _

from common.admin_numbers import money_column
from coproduction.admin.common import (
    ServiceAddForm,
    ServiceAddMixin,
    ViewOnlyMixin,
    Workflow,
    WorkflowAdminMixin,
    WorkflowForm,
    download_link,
)
from coproduction.models import (
    Application,
    ApplicationAttachment,
    ApplicationStatus,
    Call,
    CallStatus,
    ConflictDeclaration,
    Criterion,
    Review,
    ReviewScore,
)
from coproduction.services.selection import call_award, call_cancel, conflict_declare

# --- Calls and their official's steps ---------------------------------------------------------


class CallAwardForm(WorkflowForm):
    application = forms.ModelChoiceField(label=_("winning application"), queryset=Application.objects.none())
    reason = forms.CharField(label=_("reason for the award"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, obj, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["application"].queryset = Application.objects.filter(
            call=obj, status=ApplicationStatus.SUBMITTED
        ).select_related("organisation")


class CallCancelForm(WorkflowForm):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


def award(*, obj, user, data):
    return call_award(call=obj, application=data["application"], user=user, reason=data["reason"])


def cancel(*, obj, user, data):
    return call_cancel(call=obj, user=user, reason=data["reason"])


def undecided(call) -> bool:
    return call.status not in (CallStatus.AWARDED, CallStatus.CANCELLED)


class CriterionInline(ViewOnlyMixin, admin.TabularInline):
    model = Criterion
    fields = ["name", "weight", "description"]
    extra = 0


class ApplicationInline(ViewOnlyMixin, admin.TabularInline):
    model = Application
    fields = ["organisation", "status", "proposed_budget", "submitted_at"]
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")


# Calls are opened by call_open() on the officials' pages, with criteria fixed from the start.
@admin.register(Call)
class CallAdmin(WorkflowAdminMixin, ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "project", "status", "deadline", "min_reviewers", "application_count", "awarded_at"]
    list_filter = ["status", "single_applicant", "against_ranking"]
    list_select_related = ["project"]
    search_fields = ["title", "project__name"]
    date_hierarchy = "deadline"
    fieldsets = [
        (None, {"fields": ["project", "title", "description", "deadline", "status", "min_reviewers"]}),
        (_("Opened"), {"fields": ["opened_by", "opened_at"]}),
        (
            _("Award"),
            {
                "fields": [
                    "awarded_application",
                    "award_reason",
                    "awarded_by",
                    "awarded_at",
                    "single_applicant",
                    "against_ranking",
                ]
            },
        ),
    ]
    inlines = [CriterionInline, ApplicationInline]
    workflows = (
        Workflow("award", _("Award"), CallAwardForm, award, undecided),
        Workflow("cancel", _("Cancel the call"), CallCancelForm, cancel, undecided),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(application_count=Count("applications"))

    @admin.display(description=_("applications"), ordering="application_count")
    def application_count(self, obj):
        return obj.application_count


# --- Applications and their reviews ------------------------------------------------------------


class ReviewInline(ViewOnlyMixin, admin.TabularInline):
    model = Review
    fields = ["reviewer", "total", "submitted_at"]
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer")


# Organisations apply through application_submit(), which checks status, kind and deadline.
@admin.register(Application)
class ApplicationAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = [
        "organisation",
        "call",
        "status",
        "proposed_budget_display",
        "submitted_at",
        "review_count",
        "mean_total",
    ]
    proposed_budget_display = money_column(Application, "proposed_budget")
    list_filter = ["status", "organisation__kind"]
    list_select_related = ["organisation", "call"]
    search_fields = ["organisation__name", "call__title", "call__project__name"]
    date_hierarchy = "submitted_at"
    inlines = [ReviewInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(review_count=Count("reviews"), mean_total=Avg("reviews__total"))

    @admin.display(description=_("reviews"), ordering="review_count")
    def review_count(self, obj):
        return obj.review_count

    @admin.display(description=_("mean review total"), ordering="mean_total")
    def mean_total(self, obj):
        return None if obj.mean_total is None else round(obj.mean_total, 2)


class ReviewScoreInline(ViewOnlyMixin, admin.TabularInline):
    model = ReviewScore
    fields = ["criterion", "score"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion")


# Reviews are scored by reviewers through review_submit(), which checks conflicts of interest and
# stores the weighted total: the admin shows them.
@admin.register(Review)
class ReviewAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["application", "reviewer", "total", "submitted_at"]
    list_select_related = ["application__organisation", "application__call", "reviewer"]
    search_fields = [
        "application__organisation__name",
        "application__call__title",
        "reviewer__username",
        "reviewer__display_name",
    ]
    date_hierarchy = "submitted_at"
    inlines = [ReviewScoreInline]


@admin.register(ReviewScore)
class ReviewScoreAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["review", "criterion", "score"]
    list_select_related = [
        "review__reviewer",
        "review__application__organisation",
        "review__application__call",
        "criterion",
    ]
    search_fields = ["criterion__name", "review__application__organisation__name"]


# Criteria are fixed with their call by call_open().
@admin.register(Criterion)
class CriterionAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "call", "weight"]
    list_select_related = ["call"]
    search_fields = ["name", "call__title"]


# --- Conflicts of interest ---------------------------------------------------------------------


class ConflictDeclarationAddForm(ServiceAddForm):
    class Meta:
        model = ConflictDeclaration
        fields = ["reviewer", "organisation", "call", "reason"]

    def create(self, cleaned_data):
        return conflict_declare(
            reviewer=cleaned_data["reviewer"],
            organisation=cleaned_data["organisation"],
            call=cleaned_data.get("call"),
            reason=cleaned_data["reason"],
        )


# A declaration bars the reviewer from scoring the organisation: it is declared, never edited.
@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ServiceAddMixin, admin.ModelAdmin):
    add_form = ConflictDeclarationAddForm
    list_display = ["reviewer", "organisation", "call", "reason", "declared_at"]
    list_select_related = ["reviewer", "organisation", "call"]
    search_fields = ["reviewer__username", "reviewer__display_name", "organisation__name", "call__title"]
    date_hierarchy = "declared_at"
    autocomplete_fields = ["reviewer", "organisation", "call"]


# Files are stored by application_submit() after their contents are checked; they are opened through
# the permission-checked download, never through MEDIA_URL.
@admin.register(ApplicationAttachment)
class ApplicationAttachmentAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["original_name", "application", "content_type", "size", "uploaded_at", "download"]
    list_select_related = ["application__call", "application__organisation"]
    search_fields = ["original_name", "application__organisation__name", "application__call__title"]
    fields = ["application", "original_name", "download", "content_type", "size", "uploaded_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    @admin.display(description=_("file"))
    def download(self, attachment):
        return download_link(
            "partner_portal:application_attachment", pk=attachment.application_id, attachment_id=attachment.pk
        )
