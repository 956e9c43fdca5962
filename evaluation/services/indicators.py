"""Maintaining the weighted indicators of a service-list item, as one set whose weights add up to 100.

Who may do it: the service list is one catalogue for every community, so a community official,
whose post covers one community, may not reshape how the services of all the others are judged.
Administrators and officials with a street- or district-level post (who oversee several
communities) maintain it.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import record, record_changed, record_created, snapshot
from common.actors import Actor
from evaluation.models import Indicator, IndicatorScore, IndicatorSource
from partners.models import User
from partners.roles import may_maintain_service_list
from service_list.models import ServiceListItem

TOTAL_WEIGHT = 100
# The fields that say what an indicator measures; a used indicator must keep them all.
MEANING_FIELDS = ("name", "description", "weight", "source", "target")


def may_maintain_indicators(user: Actor) -> bool:
    """Indicators belong to the shared service list: the same people maintain both."""
    return may_maintain_service_list(user)


def require_may_maintain_indicators(user: Actor) -> None:
    if not may_maintain_indicators(user):
        raise PermissionDenied(_("Only an administrator or a street or district official may set indicators."))


def _whole_number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return int(number) if number == number.to_integral_value() else None


def _decimal_or_none(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal("NaN")  # refused below as not a positive number


def _build(
    service_item: ServiceListItem, row: dict[str, Any], position: int
) -> tuple[Indicator, list[ValidationError]]:
    """One proposed indicator and what is wrong with it, each message naming the row."""
    code = str(row.get("code") or "").strip()
    label = code or _("row %(number)d") % {"number": position}
    indicator = Indicator(
        service_item=service_item,
        code=code,
        name=str(row.get("name") or "").strip(),
        description=str(row.get("description") or "").strip(),
        # None when the row has no whole-number weight: refused just below, naming the row.
        weight=_whole_number(row.get("weight")),  # type: ignore[misc]
        source=row.get("source") or "",
        target=_decimal_or_none(row.get("target")),
    )
    errors = []
    if indicator.weight is None or not 1 <= indicator.weight <= TOTAL_WEIGHT:
        errors.append(
            ValidationError(
                _("%(indicator)s: the weight must be a whole number from 1 to 100.") % {"indicator": label},
                code="weight_range",
            )
        )
    if indicator.source not in IndicatorSource.values:
        errors.append(
            ValidationError(
                _("%(indicator)s: choose a source among %(sources)s.")
                % {"indicator": label, "sources": ", ".join(IndicatorSource.values)},
                code="invalid_source",
            )
        )
    if indicator.target is not None and not (indicator.target.is_finite() and indicator.target > 0):
        errors.append(
            ValidationError(
                _("%(indicator)s: the target must be a positive number.") % {"indicator": label},
                code="target_invalid",
            )
        )
    elif indicator.source == IndicatorSource.REPORT_OUTPUTS and indicator.target is None:
        errors.append(
            ValidationError(
                _("%(indicator)s: an output indicator needs a positive target (service units per period).")
                % {"indicator": label},
                code="target_required",
            )
        )
    if not errors:
        # The field rules the model already states (slug code, lengths, decimal places).
        try:
            indicator.full_clean(exclude=["service_item"], validate_unique=False, validate_constraints=False)
        except ValidationError as invalid:
            errors.extend(
                ValidationError(f"{label}, {field}: {message}", code="invalid_field")
                for field, messages in invalid.message_dict.items()
                for message in messages
            )
    return indicator, errors


def _set_errors(indicators: list[Indicator]) -> list[ValidationError]:
    """Rules of the set as a whole: unique codes, weights adding up to exactly 100."""
    errors = []
    codes = [indicator.code for indicator in indicators if indicator.code]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        errors.append(
            ValidationError(
                _("Each indicator needs its own code; repeated: %(codes)s.") % {"codes": ", ".join(repeated)},
                code="duplicate_code",
            )
        )
    total = sum(indicator.weight or 0 for indicator in indicators)
    if total != TOTAL_WEIGHT:
        errors.append(
            ValidationError(
                _("The weights add up to %(total)d; they must add up to exactly 100.") % {"total": total},
                code="weights_sum",
            )
        )
    return errors


def _meaning(indicator: Indicator) -> tuple[object, ...]:
    return tuple(getattr(indicator, field) for field in MEANING_FIELDS)


def _used_indicators_kept(existing: dict[str, Indicator], proposed: dict[str, Indicator]) -> list[ValidationError]:
    """Indicators scored in an evaluation are evidence for it: they stay, exactly as they were."""
    used = IndicatorScore.objects.filter(indicator__in=list(existing.values())).values_list(
        "indicator__code", flat=True
    )
    altered = sorted(
        code for code in set(used) if code not in proposed or _meaning(proposed[code]) != _meaning(existing[code])
    )
    if not altered:
        return []
    return [
        ValidationError(
            _(
                "Indicators %(codes)s have been used in evaluations and must stay unchanged; to judge the "
                "service differently, publish a new version of the service-list item."
            )
            % {"codes": ", ".join(altered)},
            code="indicator_in_use",
        )
    ]


@transaction.atomic
def indicators_set(*, service_item: ServiceListItem, indicators: list[dict[str, Any]], user: User) -> list[Indicator]:
    """Replace the item's indicators as a whole: unchanged ones stay, changed ones are updated,
    missing ones are deleted and new ones created, each write audited.

    Each row is a dict with code, name, weight, source and optionally target and description.
    """
    require_may_maintain_indicators(user)
    # One editor at a time per item, so that two sets never interleave into a third.
    service_item = ServiceListItem.objects.select_for_update().get(pk=service_item.pk)
    built = [_build(service_item, row, position) for position, row in enumerate(indicators, start=1)]
    proposed = [indicator for indicator, _errors in built]
    errors = [error for _indicator, row_errors in built for error in row_errors] + _set_errors(proposed)
    existing = {indicator.code: indicator for indicator in Indicator.objects.filter(service_item=service_item)}
    proposed_by_code = {indicator.code: indicator for indicator in proposed}
    errors += _used_indicators_kept(existing, proposed_by_code)
    if errors:
        raise ValidationError({"indicators": errors})
    _delete_missing(existing, proposed_by_code, user)
    return [_save(indicator, existing.get(indicator.code), user) for indicator in proposed]


def _delete_missing(existing: dict[str, Indicator], proposed: dict[str, Indicator], user: User) -> None:
    missing = [indicator for code, indicator in existing.items() if code not in proposed]
    for indicator in missing:  # recorded first, while each still has its primary key
        record(actor=user, action=AuditAction.DELETE, instance=indicator, before=snapshot(indicator))
    Indicator.objects.filter(pk__in=[indicator.pk for indicator in missing]).delete()


def _save(indicator: Indicator, current: Indicator | None, user: User) -> Indicator:
    if current is None:
        indicator.save()
        record_created(actor=user, instance=indicator)
        return indicator
    if _meaning(current) == _meaning(indicator):
        return current
    before = snapshot(current)
    for field in MEANING_FIELDS:
        setattr(current, field, getattr(indicator, field))
    current.save(update_fields=list(MEANING_FIELDS))
    record_changed(actor=user, instance=current, before=before)
    return current


@transaction.atomic
def indicators_copy_to_new_version(*, previous: ServiceListItem, item: ServiceListItem, user: Actor) -> list[Indicator]:
    """Give a new version of an item the indicators of the version it was copied from, each copy audited.

    Trusted: the caller has already been allowed to create the version. Without the copy a project
    moved to the new version would have nothing to be evaluated against; the draft's set is then
    edited on its own, and the copies share nothing with the originals.
    """
    copies = [
        Indicator(service_item=item, **{field: getattr(indicator, field) for field in ("code", *MEANING_FIELDS)})
        for indicator in Indicator.objects.filter(service_item=previous).order_by("code")
    ]
    for indicator in copies:
        indicator.save()
        record_created(
            actor=user,
            instance=indicator,
            note=_("Copied from %(item)s.") % {"item": previous.version_label},
        )
    return copies
