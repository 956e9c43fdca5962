"""Visibility of the partners app's records: what each user may see (see roles.py for who is who)."""

from django.db.models import Q, QuerySet

from common.scoping import ScopedQuerySet, is_administrator


class DistrictQuerySet(QuerySet):
    def overseen_by(self, user):
        """Districts whose roll-up the user may open: through a district post, or as administrator."""
        from partners.models import OfficialPost

        if is_administrator(user):
            return self.all()
        return self.filter(pk__in=OfficialPost.objects.filter(user=user).values("district"))


class StreetQuerySet(QuerySet):
    def overseen_by(self, user):
        """Streets whose roll-up the user may open: through a street or district post, or as administrator.
        A community post does not open its street's roll-up, which covers neighbouring communities too."""
        from partners.models import OfficialPost

        if is_administrator(user):
            return self.all()
        posts = OfficialPost.objects.filter(user=user)
        return self.filter(Q(pk__in=posts.values("street")) | Q(district__in=posts.values("district")))


class CommunityQuerySet(ScopedQuerySet):
    def overseen_by(self, user):
        """Communities whose dashboards the user may open: every one for administrators, those under
        the official's posts for officials, none for anyone else. Another community answers 404."""
        from partners.roles import official_communities

        if is_administrator(user):
            return self.all()
        return self.filter(pk__in=official_communities(user).values("pk"))

    def visible_to_member(self, user):
        from partners.models import Organisation, Resident
        from partners.roles import official_communities, organisations_of

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


class OrganisationQuerySet(ScopedQuerySet):
    def visible_to_member(self, user):
        """The register of organisations is public to every user who may take part.

        Officials, staff and residents all see names, kinds and statuses: publishing who may
        deliver what is part of lowering access barriers. Contact details are masked by the
        interfaces, not hidden from this list.
        """
        return self.all()


class ResidentQuerySet(ScopedQuerySet):
    def visible_to_member(self, user):
        """Residents' records are personal data: officials of their community, and themselves."""
        from partners.roles import official_communities

        return self.filter(Q(community__in=official_communities(user).values("pk")) | Q(user=user))
