"""Reads of the service list. Published and retired versions are public record for every signed-in
user (what partners applied under stays legible); drafts are seen only by those who maintain the list."""

from common.scoping import ScopedQuerySet


class ServiceListItemQuerySet(ScopedQuerySet):
    def published(self):
        from service_list.models import ListItemStatus

        return self.filter(status=ListItemStatus.PUBLISHED)

    def public(self):
        """What anyone may read without signing in: the current (published) version of each item;
        drafts are unfinished and retired versions are superseded."""
        return self.published()

    def open_to_kind(self, kind: str):
        """Items an organisation of this kind may deliver."""
        from service_list.models import ELIGIBILITY_FIELDS

        return self.filter(**{ELIGIBILITY_FIELDS[kind]: True})

    def visible_to_member(self, user):
        from partners import roles
        from service_list.models import ListItemStatus

        if roles.may_maintain_service_list(user):
            return self.all()
        return self.exclude(status=ListItemStatus.DRAFT)
