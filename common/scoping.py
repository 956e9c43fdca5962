"""What a user may see: the one base of every `<Model>.objects.visible_to(user)`, and `visible_or_404`.

Every model's visibility opens the same way: an administrator sees every row, and anyone not signed in
(anonymous, or an account that was disabled) sees none. `ScopedQuerySet.visible_to` writes those two
cases once; a model's queryset says only what a signed-in user who is not an administrator sees, in
`visible_to_member(user)`. Who oversees which community is the partners app's to say (partners.roles);
this module only knows the account's own flags, so that the lowest layers may use it too.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404


def is_signed_in(user) -> bool:
    """An authenticated, active account: the least any role needs."""
    return bool(user and user.is_authenticated and user.is_active)


def is_administrator(user) -> bool:
    return is_signed_in(user) and bool(user.is_superuser)


class ScopedQuerySet(QuerySet):
    def visible_to(self, user):
        """The rows `user` may see: all for an administrator, none without a signed-in account."""
        if is_administrator(user):
            return self.all()
        if not is_signed_in(user):
            return self.none()
        return self.visible_to_member(user)

    def visible_to_member(self, user):
        """The rows a signed-in user who is not an administrator sees; each model's queryset says."""
        raise NotImplementedError(f"{type(self).__name__} must say what a signed-in user sees")


def visible_or_404(queryset, user, **lookup):
    """The one row matching `lookup` among those `user` may see, else 404: another community's record
    looks exactly like one that does not exist, in the pages and the API alike (DRF answers Http404 as
    its own 404)."""
    return get_object_or_404(queryset.visible_to(user), **lookup)
