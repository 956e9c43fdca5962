"""Rating the running projects of the resident's community, once a month each, and past ratings."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from evaluation.services.ratings import rating_submit
from resident_portal.forms import RatingForm
from resident_portal.selectors import my_ratings, running_projects
from resident_portal.views.common import current_resident
from web.access import resident_required
from web.workflows import call_service


@resident_required
def ratings(request):
    resident = current_resident(request)
    form = RatingForm(request.POST or None, projects=running_projects(user=request.user, resident=resident))
    if request.method == "POST" and form.is_valid():
        rating = call_service(form, rating_submit, resident=resident, **form.cleaned_data)
        if rating is not None:
            done = _("Thank you: your rating of %(project)s is recorded.") % {"project": rating.project.name}
            messages.success(request, done)
            return redirect("resident_portal:ratings")
    context = {"form": form, "ratings": my_ratings(user=request.user, resident=resident)}
    return render(request, "resident_portal/ratings.html", context)
