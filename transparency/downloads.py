"""A dataset of a community as a CSV or JSON file, with the same columns in both."""

import csv
import io
import json
from datetime import date, datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import timezone

from partners.models import Community
from transparency.datasets import Dataset

# Excel takes a CSV file without a byte-order mark for the local code page and garbles Chinese.
UTF8_BOM = "\ufeff"


def _filename(community: Community, dataset: Dataset, extension: str) -> str:
    return f"{community.code}-{dataset.slug}.{extension}"


def _attachment(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_cell(value) -> str:
    """One value as CSV text: lists joined by "; " (a partner or criterion as "name (role)"),
    booleans as true/false, times in local time ISO 8601, nothing as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(_list_item(item) for item in value)
    return str(value)


def _list_item(item) -> str:
    if isinstance(item, dict):
        name = item.get("name") or item.get("organisation")
        detail = item.get("weight", item.get("role"))
        return f"{name} ({detail})"
    return str(item)


def as_csv(community: Community, dataset: Dataset) -> HttpResponse:
    lines = io.StringIO()
    writer = csv.writer(lines)
    writer.writerow(dataset.column_names)
    for row in dataset.rows(community):
        writer.writerow([csv_cell(row[name]) for name in dataset.column_names])
    return _attachment(UTF8_BOM + lines.getvalue(), "text/csv; charset=utf-8", _filename(community, dataset, "csv"))


class _PublicJSONEncoder(DjangoJSONEncoder):
    """Amounts stay exact as decimal strings ("100000.00"); times in local time ISO 8601."""

    def default(self, value):
        if isinstance(value, datetime):
            return timezone.localtime(value).isoformat()
        return super().default(value)


def as_json(community: Community, dataset: Dataset) -> HttpResponse:
    document = {
        "dataset": dataset.slug,
        "community": {"code": community.code, "name": community.name},
        "columns": dataset.column_names,
        "rows": [{name: row[name] for name in dataset.column_names} for row in dataset.rows(community)],
    }
    content = json.dumps(document, cls=_PublicJSONEncoder, ensure_ascii=False, indent=2)
    return _attachment(content, "application/json; charset=utf-8", _filename(community, dataset, "json"))
