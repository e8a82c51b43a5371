"""Reads for the importer: the JSON form of a planned or stored project, and the export."""

from __future__ import annotations

from django.db.models import QuerySet

from importers.models import ImportBatch
from importers.plan import PlannedProject
from members.models import Cooperation
from projects.models import Project


def _party(item: dict) -> dict:
    m = item.get("municipality")
    if m is not None:
        return {"name": m.name, "number": m.number, "kind": "municipality", "role": item["role"]}
    return {
        "name": item["organisation"].name,
        "number": None,
        "kind": "organisation",
        "role": item["role"],
    }


def _period(year_from, year_to) -> str | None:
    if not year_from:
        return None
    if year_to and year_to != year_from:
        return f"{year_from}-{year_to}"
    return str(year_from)


def project_document(p: PlannedProject) -> dict:
    """One project of the --json document (see docs/import-format.md)."""
    f = p.fields
    hosts = [item["municipality"].name for item in p.participations if item["role"] == "host"]
    return {
        "name": f["name"],
        "slug": p.slug,
        "action": p.action,
        "category": f["category"],
        "start": f["start_date"].isoformat() if f["start_date"] else None,
        "end": f["end_date"].isoformat() if f["end_date"] else None,
        "open_ended": f["open_ended"],
        "participants": [_party(item) for item in p.participations if item["role"] != "host"],
        "unresolved": [
            {"column": u["column"], "text": u["text"], "note": u["note"]} for u in p.unresolved
        ],
        "money": [
            {
                "kind": m["kind"],
                "benefit_category": m["benefit_category"] or None,
                "amount_nok": float(m["amount_nok"]) if m["amount_nok"] is not None else None,
                "approximate": m["approximate"],
                "funder": m["funder"].name if m["funder"] else (m["funder_text"] or None),
                "period": _period(m["year_from"], m["year_to"]),
            }
            for m in p.money
        ],
        "host": hosts,
        "status": f["status"] or None,
        "result": f["result"] or None,
        "working_form": f["working_form"] or None,
        "phase": f["phase"],
        "due": [
            {
                "title": d["title"],
                "kind": d["kind"],
                "due": d["due_date"].isoformat() if d["due_date"] else None,
                "delivered": d["delivered_date"].isoformat() if d["delivered_date"] else None,
                "precision": d["due_precision"],
            }
            for d in p.deliverables
        ],
        "spin_offs": [
            {
                "name": s["name"],
                "kind": s["kind"],
                "year": s["date"].year if s["date"] else None,
                "host": s["host_municipality"].name if s["host_municipality"] else None,
            }
            for s in p.spin_offs
        ],
        "links": [{"kind": link["kind"], "target": link["target_slug"]} for link in p.links],
        "source_row": p.row.number,
        "warnings": list(p.warnings),
    }


def overview_projects(*, cooperation: Cooperation) -> QuerySet[Project]:
    """The cooperation's projects for export (order is decided by the exporter)."""
    return Project.objects.filter(cooperation=cooperation).select_related(
        "host_municipality", "consultant"
    )


def projects_to_compare(*, pks: list[int]) -> dict[int, Project]:
    """Stored projects with every row a re-import compares (importers.merge), by pk."""
    stored = Project.objects.filter(pk__in=pks).prefetch_related(
        "participations",
        "money",
        "deliverables",
        "spin_offs",
        "unresolved",
        "links_out__target",
    )
    return {p.pk: p for p in stored}


def batch_by_token(token: str) -> ImportBatch | None:
    """An uploaded file by its token (without its bytes), with its cooperation."""
    return (
        ImportBatch.objects.select_related("cooperation").defer("data").filter(token=token).first()
    )
