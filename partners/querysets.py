"""Visibility of the partners app's records: what each user may see (see roles.py for who is who)."""
from django.db.models import Q, QuerySet


class CommunityQuerySet(QuerySet):
    def visible_to(self, user):
        from .roles import is_administrator, is_signed_in, official_communities, organisations_of

        if is_administrator(user):
            return self.all()
        if not is_signed_in(user):
            return self.none()
        from .models import Organisation, Resident

        # Each way in is a subquery of community ids: joining residents and organisations instead
        # multiplies every community by its residents, which DISTINCT then has to fold back (over a
        # second at district scale).
        organisations = organisations_of(user)
        served = Organisation.service_area.through.objects.filter(organisation__in=organisations)
        return self.filter(
            Q(pk__in=official_communities(user).values("pk"))
            | Q(pk__in=Resident.objects.filter(user=user).values("community"))
            | Q(pk__in=served.values("community"))
            | Q(pk__in=organisations.values("home_community"))
        )


class OrganisationQuerySet(QuerySet):
    def visible_to(self, user):
        """The register of organisations is public to every user who may take part.

        Officials, staff and residents all see names, kinds and statuses: publishing who may
        deliver what is part of lowering access barriers. Contact details are masked by the
        interfaces, not hidden from this list.
        """
        from .roles import is_signed_in

        return self.all() if is_signed_in(user) else self.none()


class ResidentQuerySet(QuerySet):
    def visible_to(self, user):
        """Residents' records are personal data: officials of their community, and themselves."""
        from .roles import is_administrator, is_signed_in, official_communities

        if is_administrator(user):
            return self.all()
        if not is_signed_in(user):
            return self.none()
        return self.filter(Q(community__in=official_communities(user).values("pk")) | Q(user=user))

