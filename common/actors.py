"""Who a domain service acts for: a signed-in user, whose permission it checks, or the platform itself.

A write asked for by a person (a page, the API, an administrator in the admin) names that user, and the
service checks what they may do. A write the platform makes on its own authority (a periodic job, the
demo data, an import) passes `TRUSTED`: the service checks no permission and the audit log records no
user. The two are told apart by the argument, never by its absence: a service's `user` has no default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser
    from typing_extensions import TypeIs


class Trusted:
    """The platform acting on its own authority. One instance, `TRUSTED`."""

    def __repr__(self) -> str:
        return "TRUSTED"

    def __bool__(self) -> bool:
        # Never mistaken for a signed-in user by a truthiness test.
        return False


TRUSTED: Final = Trusted()

# What a service's `user` may be: an account (checked) or the platform (trusted).
Actor: TypeAlias = "AbstractBaseUser | AnonymousUser | Trusted"
# A service that only ever acts for a person takes an `Account` (a request's user), and checks it.
Account: TypeAlias = "AbstractBaseUser | AnonymousUser"


def is_trusted(user: object) -> TypeIs[Trusted]:
    """Whether the platform acts; a type checker then knows `user` is an account in the other branch."""
    return isinstance(user, Trusted)


def acting_user(user: Actor) -> AbstractBaseUser | AnonymousUser | None:
    """The account to record in the audit log: none when the platform acted."""
    return None if isinstance(user, Trusted) else user
