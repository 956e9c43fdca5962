"""Admin for projects: their stage moves, participants, contributions and residents' needs (answered by need_answer()).

Contributions are recorded by contribution_add() and participants recompute the project's
government share; stage moves and the governance authority go through the lifecycle services.
"""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.admin_numbers import hours_column, money_column
from coproduction.admin.common import (
    FixedProjectMixin,
    ServiceAddForm,
    ServiceAddMixin,
    ServiceFormMixin,
    ViewOnlyMixin,
    Workflow,
    WorkflowAdminMixin,
    WorkflowForm,
    recompute_concentration,
    run_service,
)
from coproduction.models import Contribution, Mode, Need, NeedStatus, Participation, Project, ProjectTransition
from coproduction.services.lifecycle import project_transition
from coproduction.services.needs import ANSWERS, AWAITING_ANSWER, need_answer
from coproduction.services.projects import contribution_add, project_set_authority


class ModeFilter(admin.SimpleListFilter):
    # `mode` is a generated column without choices of its own, so the list filter names them.
    title = _("coproduction mode")
    parameter_name = "mode"

    def lookups(self, request, model_admin):
        return Mode.choices

    def queryset(self, request, queryset):
        return queryset.filter(mode=self.value()) if self.value() else queryset


class ProjectForm(forms.ModelForm):
    """The governance authority is the official's judgement: a change goes through project_set_authority()."""

    class Meta:
        model = Project
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose the fields shown

    def clean(self):
        cleaned_data = super().clean()
        authority_changed = {"governance_authority", "authority_reason"} & set(self.changed_data)
        if self.instance.pk and authority_changed and not self.errors:
            run_service(
                project_set_authority,
                project=self.instance,
                level=cleaned_data.get("governance_authority", ""),
                reason=cleaned_data.get("authority_reason", ""),
                user=self.acting_user,
            )
        return cleaned_data


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["organisation"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")


class ContributionInline(ViewOnlyMixin, admin.TabularInline):
    # Recorded through the contribution admin, whose add form calls contribution_add().
    model = Contribution
    fields = ["participation", "kind", "description", "quantity", "unit", "value", "contributed_on"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("participation__organisation")


# Registered by the project (config/admin.py), with the higher apps' inlines (duties, evaluations).
class ProjectAdmin(ServiceFormMixin, admin.ModelAdmin):
    form = ProjectForm
    list_display = [
        "name",
        "community",
        "service_item",
        "stage",
        "governance_authority",
        "government_share",
        "budget_display",
        "mode_display",
        "start_date",
        "end_date",
    ]
    budget_display = money_column(Project, "budget")
    list_filter = ["stage", "governance_authority", ModeFilter, "community__street__district"]
    list_select_related = ["community", "service_item"]
    search_fields = ["name", "community__name", "service_item__name"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["community", "service_item"]
    # The stage moves only through project_transition(); the share is recomputed from contributions,
    # and concentration and mode are generated from it.
    readonly_fields = [
        "stage_display",
        "government_share",
        "resource_concentration_display",
        "mode_display",
        "created_by",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["name", "community", "service_item", "stage_display", "description"]}),
        (_("Term and budget"), {"fields": ["start_date", "end_date", "budget", "asset_justification"]}),
        (
            _("Coproduction mode"),
            {
                "fields": [
                    "governance_authority",
                    "authority_reason",
                    "government_share",
                    "resource_concentration_display",
                    "mode_display",
                ],
            },
        ),
        (_("Record"), {"fields": ["created_by", "created_at", "updated_at"]}),
    ]
    inlines = [ParticipationInline, ContributionInline]

    @admin.display(description=_("stage"))
    def stage_display(self, obj):
        if obj.pk is None:
            return obj.get_stage_display()
        move = reverse("admin:coproduction_projecttransition_add") + f"?project={obj.pk}"
        return format_html('{} (<a href="{}">{}</a>)', obj.get_stage_display(), move, _("move to another stage"))

    @admin.display(description=_("coproduction mode"), ordering="mode")
    def mode_display(self, obj):
        return obj.get_mode_display()

    @admin.display(description=_("resource concentration"), ordering="resource_concentration")
    def resource_concentration_display(self, obj):
        return obj.get_resource_concentration_display()

    def get_inlines(self, request, obj):
        # Contributions (and duties) name one of the project's participants, so they wait until it exists.
        return self.inlines if obj else [ParticipationInline]

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Contributions and participants (their kinds) decide the government share.
        recompute_concentration(form.instance.pk)


class ProjectTransitionAddForm(forms.ModelForm):
    """A move is only ever made by project_transition(), which checks the move and its guards."""

    class Meta:
        model = ProjectTransition
        fields = ["project", "to_stage", "reason"]

    def clean(self):
        cleaned_data = super().clean()
        if not self.errors:
            self.instance = run_service(
                project_transition,
                project=cleaned_data["project"],
                to_stage=cleaned_data["to_stage"],
                user=self.acting_user,
                reason=cleaned_data["reason"],
            )
        return cleaned_data


# Adding a transition moves the project; the history itself is never edited or deleted.
@admin.register(ProjectTransition)
class ProjectTransitionAdmin(ServiceFormMixin, admin.ModelAdmin):
    list_display = ["project", "from_stage", "to_stage", "by", "at"]
    list_filter = ["to_stage"]
    list_select_related = ["project", "by"]
    search_fields = ["project__name", "reason"]
    date_hierarchy = "at"
    autocomplete_fields = ["project"]
    add_form = ProjectTransitionAddForm

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["project", "to_stage", "reason"]
        return ["project", "from_stage", "to_stage", "by", "at", "reason"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        pass  # project_transition() saved it while the form was validated.

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Participation)
class ParticipationAdmin(FixedProjectMixin, admin.ModelAdmin):
    list_display = ["organisation", "project", "role", "joined_on", "left_on"]
    list_filter = ["role", "organisation__kind"]
    list_select_related = ["organisation", "project"]
    search_fields = ["organisation__name", "project__name"]
    date_hierarchy = "joined_on"
    autocomplete_fields = ["project", "organisation"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        recompute_concentration(obj.project_id)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        recompute_concentration(obj.project_id)

    def delete_queryset(self, request, queryset):
        project_ids = list(queryset.values_list("project_id", flat=True).distinct())
        super().delete_queryset(request, queryset)
        recompute_concentration(*project_ids)


class ContributionAddForm(ServiceAddForm):
    class Meta:
        model = Contribution
        fields = ["participation", "kind", "description", "quantity", "unit", "value", "contributed_on"]

    def create(self, cleaned_data):
        return contribution_add(user=self.acting_user, **cleaned_data)


# A contribution is recorded by contribution_add(), which also recomputes the project's mode; the
# shares it decided are evidence, so it is not changed or deleted afterwards.
@admin.register(Contribution)
class ContributionAdmin(ServiceAddMixin, admin.ModelAdmin):
    add_form = ContributionAddForm
    list_display = ["project", "participation", "kind", "value_display", "quantity_display", "unit", "contributed_on"]
    list_filter = ["kind", "participation__organisation__kind"]
    list_select_related = ["project", "participation__organisation"]
    search_fields = ["project__name", "participation__organisation__name", "description"]
    date_hierarchy = "contributed_on"
    value_display = money_column(Contribution, "value")
    quantity_display = hours_column(Contribution, "quantity")
    # A participation reads "organisation (role)": the raw-id popup lists it with its project.
    raw_id_fields = ["participation"]


class NeedAnswerForm(WorkflowForm):
    status = forms.ChoiceField(label=_("answer"), choices=[(value, NeedStatus(value).label) for value in ANSWERS])
    response = forms.CharField(label=_("response"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    project = forms.ModelChoiceField(label=_("project"), queryset=Project.objects.none(), required=False)

    def __init__(self, *args, obj, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["project"].queryset = Project.objects.filter(community=obj.community_id).order_by("name")


def answer_need(*, obj, user, data):
    return need_answer(need=obj, user=user, **data)


@admin.register(Need)
class NeedAdmin(WorkflowAdminMixin, admin.ModelAdmin):
    list_display = ["title", "community", "resident", "service_item", "status", "created_at", "responded_at"]
    list_filter = ["status", "community__street__district"]
    list_select_related = ["community", "resident", "service_item"]
    search_fields = ["title", "description", "community__name", "resident__name"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["community", "resident", "service_item"]
    # The answer goes through need_answer(), which checks it and records its date and author.
    readonly_fields = ["status", "response", "project", "responded_at", "responded_by"]
    workflows = (
        Workflow("answer", _("Answer"), NeedAnswerForm, answer_need, lambda need: need.status in AWAITING_ANSWER),
    )
