"""Reads of versioned documents and decisions, already joined for their pages."""

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from casm.history import HistorySource, history_entries
from governance.bodies.models import Body
from governance.charter import permissions
from governance.charter.diff import diff_html
from governance.charter.models import Decision, Document, DocumentVersion


def _versions() -> QuerySet[DocumentVersion]:
    return DocumentVersion.objects.select_related("document__body", "published_by", "consultation")


def document_get(*, kind: str, body: Body | None = None) -> Document | None:
    """The document of ``kind`` (of ``body`` for ground rules), or None before its first version."""
    return Document.objects.filter(kind=kind, body=body).first()


def version_list_for(document: Document | None) -> QuerySet[DocumentVersion]:
    """Every version of ``document``, newest first, with who published it and the consultation."""
    if document is None:
        return DocumentVersion.objects.none()
    return _versions().filter(document=document).order_by("-number")


def version_diff(older: DocumentVersion | None, newer: DocumentVersion, *, language: str | None = None):
    """The changes from ``older`` to ``newer`` as HTML and counts, or (None, None) without ``older``.

    Both texts in the reader's language when both versions are translated into it; else both originals.
    """
    if older is None:
        return None, None
    old_text, new_text = older.localized("text", language), newer.localized("text", language)
    if not (old_text.translated and new_text.translated and old_text.language == new_text.language):
        old_text, new_text = older.text, newer.text
    html, stats = diff_html(str(old_text), str(new_text))
    return html, stats


def document_page(
    *, kind: str, body: Body | None, number: int | None = None, against: int | None = None, language=None
) -> dict | None:
    """What a document's pages show: version ``number`` (by default the one in force), every
    version, and the changes from version ``against`` (an earlier one; by default the previous).

    None when version ``number`` does not exist. Two queries: the document, its versions.
    """
    document = document_get(kind=kind, body=body)
    versions = list(version_list_for(document))
    if number is None:
        version = versions[0] if versions else None
    else:
        version = next((v for v in versions if v.number == number), None)
        if version is None:
            return None
    compared = None
    if version is not None and version.number > 1:
        wanted = against if against is not None and 1 <= against < version.number else version.number - 1
        compared = next((v for v in versions if v.number == wanted), None)
    diff, stats = version_diff(compared, version, language=language) if version else (None, None)
    return {
        "document": document,
        "version": version,
        "versions": versions,
        "compared": compared,
        "diff": diff,
        "stats": stats,
        "is_current": bool(version is not None and version.number == versions[0].number),
    }


def decision_list_for(*, user, body: Body) -> QuerySet[Decision]:
    """The decisions of ``body`` that ``user`` may read, newest first (one query)."""
    decisions = Decision.objects.filter(body=body).select_related("recorded_by")
    if not permissions.can_view_members_only_decisions(user):
        decisions = decisions.filter(visibility=Decision.Visibility.PUBLIC)
    return decisions.order_by("-decided_on", "-pk")


def decision_get_for_staff(*, body: Body, pk: int) -> Decision:
    decision = Decision.objects.filter(body=body, pk=pk).select_related("body").first()
    if decision is None:
        raise Http404
    return decision


def body_list_for_staff() -> QuerySet[Body]:
    """Active bodies with their number of decisions and their ground rules' latest version (one query)."""
    return (
        Body.objects.filter(is_active=True)
        .annotate(
            decision_count=Count("decisions", distinct=True),
            ground_rules_version=Max(
                "charter_documents__versions__number",
                filter=Q(charter_documents__kind=Document.Kind.GROUND_RULES),
            ),
        )
        .order_by("order", "name")
    )


def charter_history(body: Body | None) -> list[dict]:
    """Who published the versions of the body's ground rules (of the mission when ``body`` is None)
    and recorded or changed the body's decisions, newest first."""
    kind = Document.Kind.MISSION if body is None else Document.Kind.GROUND_RULES
    version_rows = DocumentVersion.history.filter(document__kind=kind, document__body=body)
    sources = [
        HistorySource(
            model=DocumentVersion,
            rows=version_rows.select_related("history_user").order_by("history_date"),
            describe=lambda row: f"v{row.number}",
        )
    ]
    if body is not None:
        decision_rows = Decision.history.filter(body=body).select_related("history_user")
        sources.append(
            HistorySource(
                model=Decision,
                rows=decision_rows.order_by("history_date"),
                describe=lambda row: str(row.decided_on),
            )
        )
    return history_entries(*sources)
