"""The residents' forms: plain input for the domain services, which hold every rule."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.models import Complaint
from common.widgets import IsoDateInput
from evaluation.services.ratings import HIGHEST_SCORE, LOWEST_SCORE

PHOTO_ACCEPT = "image/png,image/jpeg"
# A failed submit keeps what was typed, but a browser never keeps a chosen file.
CHOOSE_AGAIN = _("PNG or JPEG. If the form comes back with an error, choose the photo again.")


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, project):
        return project.name


class ProjectFilterForm(forms.Form):
    project = ProjectChoiceField(queryset=None, required=False, label=_("Project"), empty_label=_("All projects"))
    free = forms.BooleanField(label=_("Only places free to claim"), required=False, label_suffix="")

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class CheckInForm(forms.Form):
    on = forms.DateField(
        label=_("Date"),
        initial=timezone.localdate,
        widget=IsoDateInput,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you did, and anything the community should know (a broken tap, litter)."),
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        help_text=CHOOSE_AGAIN,
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )


class StarsWidget(forms.RadioSelect):
    """The score as a row of stars: each star is a radio input's label, so a tap, a click or the
    arrow keys choose it, and a screen reader reads the score and its meaning."""

    template_name = "resident_portal/widgets/stars.html"
    option_template_name = "resident_portal/widgets/star_option.html"


STAR_MEANINGS = {
    1: _("1 star: very dissatisfied"),
    2: _("2 stars: dissatisfied"),
    3: _("3 stars: neither satisfied nor dissatisfied"),
    4: _("4 stars: satisfied"),
    5: _("5 stars: very satisfied"),
}


class RatingForm(forms.Form):
    project = ProjectChoiceField(queryset=None, label=_("Project"))
    score = forms.TypedChoiceField(
        label=_("Score"),
        coerce=int,
        widget=StarsWidget,
        choices=[(score, STAR_MEANINGS[score]) for score in range(LOWEST_SCORE, HIGHEST_SCORE + 1)],
        help_text=_("5 is very satisfied, 1 is very dissatisfied."),
    )
    comment = forms.CharField(label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class ComplaintForm(forms.Form):
    project = ProjectChoiceField(queryset=None, label=_("Project"))
    # Not required here: complaint_file() says what a complaint must have, in its own words.
    subject = forms.CharField(
        label=_("Subject"), required=False, max_length=Complaint._meta.get_field("subject").max_length
    )
    body = forms.CharField(
        label=_("What went wrong"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("When and where it happened, and what you expected instead."),
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        help_text=CHOOSE_AGAIN,
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class ReopenForm(forms.Form):
    # Not required here: the service owns the rule and its message.
    reason = forms.CharField(
        label=_("Why the answer does not settle your complaint"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ServiceItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, item):
        return item.name


class NeedForm(forms.Form):
    # Not required here either: need_express() says what a need must have.
    title = forms.CharField(label=_("What is needed"), required=False, max_length=200)
    description = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Who needs it, how often, and where."),
    )
    service_item = ServiceItemChoiceField(
        queryset=None,
        required=False,
        label=_("Related service (optional)"),
        empty_label=_("None / not sure"),
    )

    def __init__(self, *args, service_items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_item"].queryset = service_items


class AccountRemovalForm(forms.Form):
    """The confirmation step of an account removal: nothing happens without the box ticked."""

    confirm = forms.BooleanField(
        label=_("I understand that my account is removed for good and that I can no longer sign in."),
        required=True,
        error_messages={"required": _("Tick the box to confirm the removal.")},
    )
