"""Reads of a consultation's analysis for the committee: counts, shares, texts, rates and the export.

Only submitted responses count; drafts never do. Who responded (chamber, sector, country,
organisation type) is read from the columns the response copied at submission, so every figure
is a GROUP BY in the database: the number of queries does not grow with the number of responses,
and Python only arranges the grouped rows (options × chambers × sectors, never responses).

``filters`` is a dict with any of ``chamber`` (a Chamber), ``sector`` (a Sector), ``country``
(a code) and ``org_type`` (a code), as ``governance.consultations.filters.AnalysisFilter.values()``
gives them; every figure, list and export honours them through ``submitted_responses``.
"""

import datetime
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import TrigramSimilarity
from django.core.cache import cache
from django.db import connections
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Sum, Window
from django.db.models.functions import Coalesce, RowNumber
from django_countries import countries

from casm.shares import share, shares_add_up
from governance.consultations.filters import narrow_audience, narrow_responses, response_rows_q
from governance.consultations.models import (
    Consultation,
    ConsultationOption,
    ConsultationSection,
    OptionPreference,
    ProposedOption,
    Response,
    SectionAnswer,
    UnclearFlag,
)
from governance.consultations.selectors.audience import consultation_audience
from network.models import Chamber, Sector

# Spreadsheets run cells starting with these as formulas; the export prefixes them with a quote.
EXPORT_CHUNK = 1000
Mode = ConsultationSection.Mode


# ---------------------------------------------------------------- the responses that count


def submitted_responses(consultation, filters: dict | None = None) -> QuerySet[Response]:
    """Submitted responses of ``consultation`` narrowed by ``filters`` (``filters.AnalysisFilter``'s)."""
    return narrow_responses(
        Response.objects.filter(consultation=consultation, status=Response.Status.SUBMITTED), filters
    )


def _through_response(consultation, filters: dict | None) -> Q:
    """Rows (preferences, answers, flags, proposals) of the responses ``submitted_responses`` counts."""
    return Q(response__consultation=consultation, response__status=Response.Status.SUBMITTED) & (
        response_rows_q(filters)
    )


def analysis_responses(consultation, *, filters: dict | None = None) -> QuerySet[Response]:
    """The submitted responses the analysis counts, with what a list of them shows joined."""
    return (
        submitted_responses(consultation, filters)
        .select_related("member", "member__organisation", "on_behalf_of", "chamber", "sector")
        .order_by("-submitted_at", "-pk")
    )


def analysis_countries(consultation) -> list[tuple[str, str]]:
    """(code, name) of the countries submitted responses come from, for the country filter (one query)."""
    codes = submitted_responses(consultation).order_by().values_list("country", flat=True).distinct()
    return sorted(((code, countries.name(code) or code) for code in codes), key=lambda pair: pair[1])


# ---------------------------------------------------------------- figures


@dataclass
class Cell:
    """``count`` of ``total``; ``share`` is the percentage as shown (rounded), None when nobody counts."""

    count: int = 0
    total: int = 0

    @property
    def share(self) -> Decimal | None:
        return share(self.count, self.total)


@dataclass
class OptionFigures:
    option: ConsultationOption
    first: Cell
    ranked: Cell
    mean_rank: float | None
    by_chamber: list[Cell]
    by_sector: list[Cell]
    rationale_count: int = 0
    rationale: list[dict] = field(default_factory=list)
    unclear_count: int = 0
    unclear: list[dict] = field(default_factory=list)


@dataclass
class SectionFigures:
    section: ConsultationSection
    respondents: int
    respondents_by_chamber: list[int]
    respondents_by_sector: list[int]
    options: list[OptionFigures]
    comment_count: int = 0
    comments: list[dict] = field(default_factory=list)

    @property
    def is_ranked(self) -> bool:
        return self.section.mode == Mode.RANK

    @property
    def has_options(self) -> bool:
        return self.section.mode != Mode.COMMENT

    @property
    def first_shares_add_up(self) -> bool:
        """Whether every column of first-choice shares, rounded as shown, adds up to exactly 100 %.

        Always true of pick and comment sections, whose shares are not meant to add up.
        """
        if not self.is_ranked or not self.options:
            return True
        columns = [[item.first for item in self.options]]
        columns += [list(cells) for cells in zip(*(item.by_chamber for item in self.options), strict=True)]
        columns += [list(cells) for cells in zip(*(item.by_sector for item in self.options), strict=True)]
        return all(
            shares_add_up(cell.share for cell in column) for column in columns if column and column[0].total
        )


@dataclass
class RateRow:
    chamber: Chamber | None
    invited: int
    responded: int

    @property
    def rate(self) -> Decimal | None:
        return share(self.responded, self.invited)


@dataclass
class Analysis:
    consultation: Consultation
    filters: dict
    total: int
    chambers: list[Chamber]
    sectors: list[Sector]
    sections: list[SectionFigures]
    rates: list[RateRow]
    rate_total: RateRow
    general_comment_count: int = 0
    general_comments: list[dict] = field(default_factory=list)


def _columns(filters: dict) -> tuple[list[Chamber], list[Sector]]:
    """The chambers and sectors the breakdowns show, narrowed by the filters (two queries)."""
    chambers = Chamber.objects.order_by("order", "name")
    sectors = Sector.objects.select_related("chamber").order_by("chamber__order", "order", "name")
    if filters.get("chamber"):
        chambers = chambers.filter(pk=filters["chamber"].pk)
        sectors = sectors.filter(chamber=filters["chamber"])
    if filters.get("sector"):
        sectors = sectors.filter(pk=filters["sector"].pk)
    return list(chambers), list(sectors)


def _ranked_samples(
    queryset, *, partition: str, order: list, limit: int | None, fields: list[str], totals: bool = True
):
    """Rows of ``queryset`` numbered within each ``partition`` value, with the partition's size (one query).

    Only the first ``limit`` rows of each partition are read (all when ``limit`` is None). Without
    ``totals`` the sizes are not counted (the caller knows them), which spares the database a pass.
    """
    windows = {"row_number": Window(RowNumber(), partition_by=[F(partition)], order_by=order)}
    if totals:
        windows["partition_total"] = Window(Count("pk"), partition_by=[F(partition)])
    queryset = queryset.annotate(**windows)
    if limit is not None:
        queryset = queryset.filter(row_number__lte=limit)
    groups: dict[int, list[dict]] = defaultdict(list)
    counts: dict[int, int] = {}
    names = [partition, *(["partition_total"] if totals else []), *fields]
    for row in queryset.values(*names).order_by(partition, "row_number"):
        counts[row[partition]] = row.get("partition_total", 0)
        groups[row[partition]].append(row)
    return groups, counts


_SAMPLE_FIELDS = ["response_id", "response__submitted_at", "response__chamber__name", "response__country"]


def consultation_analysis(
    consultation: Consultation,
    *,
    filters: dict | None = None,
    rationale_limit: int | None = 3,
    unclear_limit: int | None = 5,
    comment_limit: int | None = 3,
) -> Analysis:
    """Every figure of the analysis page, whatever the number of responses, in a fixed number of queries.

    Queries: the sections with their options (2), the chamber and sector columns (2), preferences
    grouped by option × chamber × sector (1), respondents of pick sections grouped by section ×
    chamber × sector (1, when the paper has pick sections), the latest first choices of each option
    and their rationale (2), the unclear flags (1), the comments of comment-only sections (1, when
    it has some), responses and audience per chamber (2) and general comments (1).
    The ``*_limit`` arguments cap the texts read per option or section (None reads them all).
    """
    filters = {name: value for name, value in (filters or {}).items() if value}
    sections = list(
        consultation.sections.order_by("order", "pk").prefetch_related(
            Prefetch("options", queryset=ConsultationOption.objects.order_by("order", "pk"))
        )
    )
    chambers, sectors = _columns(filters)
    through_response = _through_response(consultation, filters)

    # Preferences grouped by option and by who gave them.
    per_option = defaultdict(lambda: {"first": 0, "ranked": 0, "rank_sum": 0})
    first_by_chamber = defaultdict(int)
    first_by_sector = defaultdict(int)
    rows = (
        OptionPreference.objects.filter(through_response)
        .values("option_id", "response__chamber_id", "response__sector_id")
        .annotate(first=Count("pk", filter=Q(rank=1)), ranked=Count("pk"), rank_sum=Sum("rank"))
        .order_by()
    )
    for row in rows:
        figures = per_option[row["option_id"]]
        figures["first"] += row["first"]
        figures["ranked"] += row["ranked"]
        figures["rank_sum"] += row["rank_sum"] or 0
        first_by_chamber[row["option_id"], row["response__chamber_id"]] += row["first"]
        first_by_sector[row["option_id"], row["response__sector_id"]] += row["first"]

    # Respondents of each section: responses with at least one preference in it. In a ranked
    # section every respondent has exactly one first choice (ranks run 1…n without gaps, a rule of
    # ``response_save``), so the first choices count them; in a pick section, count the distinct
    # responses. Each response has one chamber and one sector: the groups add up.
    respondents = defaultdict(int)
    respondents_by_chamber = defaultdict(int)
    respondents_by_sector = defaultdict(int)
    section_of = {option.pk: section for section in sections for option in section.options.all()}
    for (option_id, chamber_id), n in first_by_chamber.items():
        section = section_of.get(option_id)
        if section is not None and section.mode == Mode.RANK:
            respondents[section.pk] += n
            respondents_by_chamber[section.pk, chamber_id] += n
    for (option_id, sector_id), n in first_by_sector.items():
        section = section_of.get(option_id)
        if section is not None and section.mode == Mode.RANK:
            respondents_by_sector[section.pk, sector_id] += n
    if any(section.mode == Mode.PICK for section in sections):
        rows = (
            OptionPreference.objects.filter(through_response, section__mode=Mode.PICK)
            .values("section_id", "response__chamber_id", "response__sector_id")
            .annotate(n=Count("response_id", distinct=True))
            .order_by()
        )
        for row in rows:
            respondents[row["section_id"]] += row["n"]
            respondents_by_chamber[row["section_id"], row["response__chamber_id"]] += row["n"]
            respondents_by_sector[row["section_id"], row["response__sector_id"]] += row["n"]

    # Rationale grouped by the option each respondent put first (every pick, in pick sections):
    # the latest first choices of each option, then their rationale (two queries).
    rationale_rows, _counts = _ranked_samples(
        OptionPreference.objects.filter(through_response, rank=1),
        partition="option_id",
        order=[F("response__submitted_at").desc(), F("response_id").desc()],
        limit=rationale_limit,
        fields=["section_id", "response_id"],
        totals=False,
    )
    _attach_rationale(rationale_rows)
    unclear_rows, unclear_totals = _ranked_samples(
        UnclearFlag.objects.filter(through_response),
        partition="option_id",
        order=[F("response__submitted_at").desc(), F("pk").desc()],
        limit=unclear_limit,
        fields=["text", *_SAMPLE_FIELDS],
    )
    comment_rows, comment_totals = {}, {}
    if any(section.mode == Mode.COMMENT for section in sections):
        comment_rows, comment_totals = _ranked_samples(
            SectionAnswer.objects.filter(through_response, section__mode=Mode.COMMENT).exclude(rationale=""),
            partition="section_id",
            order=[F("response__submitted_at").desc(), F("pk").desc()],
            limit=comment_limit,
            fields=["rationale", *_SAMPLE_FIELDS],
        )

    section_figures = []
    for section in sections:
        total = respondents[section.pk]
        by_chamber_totals = [respondents_by_chamber[section.pk, c.pk] for c in chambers]
        by_sector_totals = [respondents_by_sector[section.pk, s.pk] for s in sectors]
        options = []
        for option in section.options.all():
            figures = per_option[option.pk]
            options.append(
                OptionFigures(
                    option=option,
                    first=Cell(figures["first"], total),
                    ranked=Cell(figures["ranked"], total),
                    mean_rank=figures["rank_sum"] / figures["ranked"] if figures["ranked"] else None,
                    by_chamber=[
                        Cell(first_by_chamber[option.pk, c.pk], by_chamber_totals[i])
                        for i, c in enumerate(chambers)
                    ],
                    by_sector=[
                        Cell(first_by_sector[option.pk, s.pk], by_sector_totals[i])
                        for i, s in enumerate(sectors)
                    ],
                    rationale_count=figures["first"],
                    rationale=rationale_rows.get(option.pk, []),
                    unclear_count=unclear_totals.get(option.pk, 0),
                    unclear=unclear_rows.get(option.pk, []),
                )
            )
        section_figures.append(
            SectionFigures(
                section=section,
                respondents=total,
                respondents_by_chamber=by_chamber_totals,
                respondents_by_sector=by_sector_totals,
                options=options,
                comment_count=comment_totals.get(section.pk, 0),
                comments=comment_rows.get(section.pk, []),
            )
        )

    rates, rate_total, total = _response_rates(consultation, filters, chambers)
    general_count, general = _general_comments(consultation, filters, comment_limit)
    return Analysis(
        consultation=consultation,
        filters=filters,
        total=total,
        chambers=chambers,
        sectors=sectors,
        sections=section_figures,
        rates=rates,
        rate_total=rate_total,
        general_comment_count=general_count,
        general_comments=general,
    )


def _attach_rationale(groups: dict) -> None:
    """Puts in each sample its rationale and who gave it, for all samples at once (one query).

    Samples without a rationale (there should be none: it is required with a preference) are dropped.
    """
    samples = [row for rows in groups.values() for row in rows]
    if not samples:
        return
    answers = {
        (row["response_id"], row["section_id"]): row
        for row in SectionAnswer.objects.filter(
            response_id__in={row["response_id"] for row in samples},
            section_id__in={row["section_id"] for row in samples},
        ).values("response_id", "section_id", "rationale", *_SAMPLE_FIELDS[1:])
    }
    for key, rows in groups.items():
        groups[key] = [
            {**row, **answers[row["response_id"], row["section_id"]]}
            for row in rows
            if answers.get((row["response_id"], row["section_id"]), {}).get("rationale")
        ]


def _response_rates(consultation, filters, chambers):
    """Submitted responses against the audience, per chamber (two queries).

    The audience is narrowed by the same filters, read from the members' current records.
    """
    responded = dict(
        submitted_responses(consultation, filters)
        .values("chamber_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("chamber_id", "n")
    )
    audience = narrow_audience(consultation_audience(consultation), filters)
    invited = dict(
        audience.values("sector__chamber_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("sector__chamber_id", "n")
    )
    rates = [
        RateRow(chamber, invited.get(chamber.pk, 0), responded.get(chamber.pk, 0)) for chamber in chambers
    ]
    total_responded = sum(responded.values())
    rate_total = RateRow(None, sum(invited.values()), total_responded)
    return rates, rate_total, total_responded


def _general_comments(consultation, filters, limit):
    """The number of responses with general comments and the latest few (one query)."""
    queryset = submitted_responses(consultation, filters).exclude(general_comments="")
    rows = list(
        queryset.annotate(total=Window(Count("pk")))
        .values("pk", "general_comments", "submitted_at", "chamber__name", "country", "total")
        .order_by("-submitted_at", "-pk")[: limit if limit is not None else None]
    )
    return (rows[0]["total"] if rows else 0), rows


# ---------------------------------------------------------------- lists of texts


def option_rationale(consultation, option, *, filters: dict | None = None) -> QuerySet[SectionAnswer]:
    """Rationale of the responses that put ``option`` first (or picked it), newest first."""
    return (
        SectionAnswer.objects.filter(
            _through_response(consultation, filters),
            section_id=option.section_id,
            response__preferences__option=option,
            response__preferences__rank=1,
        )
        .exclude(rationale="")
        .select_related("response__chamber", "response__sector", "response__member")
        .order_by("-response__submitted_at", "-pk")
    )


def option_unclear_flags(consultation, option, *, filters: dict | None = None) -> QuerySet[UnclearFlag]:
    return (
        UnclearFlag.objects.filter(_through_response(consultation, filters), option=option)
        .select_related("response__chamber", "response__sector", "response__member")
        .order_by("-response__submitted_at", "-pk")
    )


def section_comments(consultation, section, *, filters: dict | None = None) -> QuerySet[SectionAnswer]:
    return (
        SectionAnswer.objects.filter(_through_response(consultation, filters), section=section)
        .exclude(rationale="")
        .select_related("response__chamber", "response__sector", "response__member")
        .order_by("-response__submitted_at", "-pk")
    )


def proposed_options(consultation, *, filters: dict | None = None) -> QuerySet[ProposedOption]:
    """The new options respondents proposed, by section (the whole paper's last), newest first."""
    return (
        ProposedOption.objects.filter(_through_response(consultation, filters))
        .select_related("section", "response__chamber", "response__member", "response__on_behalf_of")
        .order_by(F("section__order").asc(nulls_last=True), "section_id", "-response__submitted_at", "-pk")
    )


# Titles at least this similar (pg_trgm's similarity, 0–1) are the same proposal worded differently.
TITLE_SIMILARITY = 0.5
# How long the pairs of similar titles of a set of proposals are kept (the set's ids are the key).
SIMILAR_TITLES_SECONDS = 7 * 24 * 3600
_PUNCTUATION = re.compile(r"[^\w\s]+")


def proposal_title_key(title: str) -> str:
    """``title`` without case, punctuation, extra spaces or plural "s": "Regional Hubs." → "regional hub"."""
    words = _PUNCTUATION.sub(" ", title.casefold()).split()
    return " ".join(
        word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
        for word in words
    )


@dataclass
class ProposalGroup:
    """Proposals of one section (None: the whole paper) that say the same thing, newest first.

    ``ids`` and ``titles`` come with the grouping; ``section`` and ``proposals`` (the rows, with
    their respondents) once ``proposal_groups_load`` has read them for the groups shown.
    """

    section_id: int | None
    ids: list[int] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    section: ConsultationSection | None = None
    proposals: list[ProposedOption] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.ids)

    @property
    def more(self) -> int:
        """How many of the group's proposals are not loaded (``proposal_groups_load``'s ``per_group``)."""
        return self.count - len(self.proposals)

    @property
    def title(self) -> str:
        """The wording most respondents used; of equally common ones, the first proposed."""
        oldest_first = [title.strip() for title in reversed(self.titles)]
        counts = Counter(oldest_first)
        return max(counts, key=lambda title: (counts[title], -oldest_first.index(title)))


def _similar_titles(ids: list[int]) -> dict[int, list[int]]:
    """On PostgreSQL, proposal id → ids of the earlier proposals of its section whose titles pg_trgm
    finds at least ``TITLE_SIMILARITY`` alike; nothing elsewhere.

    Comparing every pair costs seconds at thousands of proposals, so the answer is kept in the
    cache under the ids it was computed from: proposals are never edited in place (a revision
    replaces them, with new ids), so the same ids always mean the same titles.
    """
    if not ids or connections[ProposedOption.objects.db].vendor != "postgresql":
        return {}
    key = "proposal-similar:" + hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        in_scope = ProposedOption.objects.filter(pk__in=ids)
        similar = (
            in_scope.filter(pk__lt=OuterRef("pk"))
            .annotate(
                same_section=Coalesce("section_id", 0),
                similarity=TrigramSimilarity("title", OuterRef("title")),
            )
            .filter(same_section=Coalesce(OuterRef("section_id"), 0), similarity__gte=TITLE_SIMILARITY)
            .order_by()
            .values("pk")
        )
        rows = in_scope.annotate(similar_to=ArraySubquery(similar)).values_list("pk", "similar_to")
        found = {pk: others for pk, others in rows if others}
        cache.set(key, found, SIMILAR_TITLES_SECONDS)
    return found


def proposed_option_groups(
    consultation, *, filters: dict | None = None, load: bool = True
) -> list[ProposalGroup]:
    """``proposed_options`` with near-identical ones grouped, largest group first.

    Within a section, two proposals are in the same group when their titles match once case,
    punctuation, spacing and plural "s" are ironed out (``proposal_title_key``) or, on PostgreSQL,
    when pg_trgm finds them at least ``TITLE_SIMILARITY`` alike; groups are the connected sets of
    such pairs (``_similar_titles``, kept in the cache). One query for the ids, sections and titles
    (and on PostgreSQL one more the first time a set of proposals is grouped); with ``load``, one
    more for the rows of every group (``proposal_groups_load``: a page loads only its own groups).
    """
    rows = list(proposed_options(consultation, filters=filters).values_list("pk", "section_id", "title"))
    similar = _similar_titles([pk for pk, _section, _title in rows])

    parent = {pk: pk for pk, _section, _title in rows}

    def root(pk):
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    def join(one, other):
        parent[root(one)] = root(other)

    first_with_key = {}
    for pk, section_id, title in rows:
        key = (section_id, proposal_title_key(title))
        if key in first_with_key:
            join(pk, first_with_key[key])
        else:
            first_with_key[key] = pk
        for other in similar.get(pk, ()):
            if other in parent:
                join(pk, other)

    groups = {}
    for pk, section_id, title in rows:  # in the queryset's order: by section, newest first
        group = groups.setdefault(root(pk), ProposalGroup(section_id=section_id))
        group.ids.append(pk)
        group.titles.append(title)
    section_order = {}
    for _pk, section_id, _title in rows:
        section_order.setdefault(section_id, len(section_order))
    ordered = sorted(groups.values(), key=lambda g: (section_order[g.section_id], -g.count))
    if load:
        proposal_groups_load(consultation, ordered)
    return ordered


def proposal_groups_load(consultation, groups, *, per_group: int | None = None) -> None:
    """Fill each group's ``section`` and ``proposals`` (with their respondents) in one query: the
    ``per_group`` newest of each group, or all of them."""
    ids = [pk for group in groups for pk in group.ids[:per_group]]
    if not ids:
        return
    rows = {item.pk: item for item in proposed_options(consultation).filter(pk__in=ids)}
    for group in groups:
        group.proposals = [rows[pk] for pk in group.ids[:per_group] if pk in rows]
        group.section = group.proposals[0].section if group.proposals else None


def analysis_response_queryset() -> QuerySet[Response]:
    """A response with everything it said, in section order (six queries once one is fetched)."""
    return Response.objects.select_related(
        "member", "member__organisation", "on_behalf_of", "chamber", "sector"
    ).prefetch_related(
        Prefetch("answers", queryset=SectionAnswer.objects.select_related("section")),
        Prefetch("preferences", queryset=OptionPreference.objects.select_related("option")),
        Prefetch("unclear_flags", queryset=UnclearFlag.objects.select_related("option__section")),
        Prefetch("proposed_options", queryset=ProposedOption.objects.select_related("section")),
    )


def response_by_section(consultation, response: Response) -> list[dict]:
    """What ``response`` said about each section, in the paper's order (one query for the sections)."""
    answers = {answer.section_id: answer for answer in response.answers.all()}
    preferences = defaultdict(list)
    for preference in sorted(response.preferences.all(), key=lambda p: p.rank):
        preferences[preference.section_id].append(preference)
    unclear = defaultdict(list)
    for flag in response.unclear_flags.all():
        unclear[flag.option.section_id].append(flag)
    proposed = defaultdict(list)
    for item in response.proposed_options.all():
        proposed[item.section_id].append(item)
    rows = []
    for section in consultation.sections.order_by("order", "pk"):
        answer = answers.get(section.pk)
        rows.append(
            {
                "section": section,
                "preferences": preferences.get(section.pk, []),
                "rationale": answer.rationale if answer else "",
                "unclear": unclear.get(section.pk, []),
                "proposed": proposed.get(section.pk, []),
            }
        )
    return rows, proposed.get(None, [])


# ---------------------------------------------------------------- the CSV export

EXPORT_COLUMNS = [
    "response_id",
    "submitted_at_utc",
    "respondent",
    "organisation",
    "on_behalf_of",
    "chamber",
    "sector",
    "country",
    "org_type",
    "section",
    "preferences",
    "rationale",
    "unclear",
    "proposed_options",
    "proposed_options_whole_paper",
    "general_comments",
    "public",
]


def _proposal_text(item: ProposedOption) -> str:
    return f"{item.title}: {item.description}" if item.description else item.title


def consultation_export_rows(consultation, *, filters: dict | None = None) -> Iterator[list[str]]:
    """The header, then one row per response and section, read in chunks of responses.

    Each chunk is five queries (responses, preferences, answers, unclear flags, proposals), so a
    large export streams in constant memory. Cells that a spreadsheet would run as a formula are
    prefixed with a quote. Preferences read ``A=1;C=2``; unclear flags ``B: text``, one a line.
    """
    yield list(EXPORT_COLUMNS)
    sections = list(consultation.sections.order_by("order", "pk"))
    responses = (
        submitted_responses(consultation, filters)
        .select_related("member", "member__organisation", "on_behalf_of", "chamber", "sector")
        .order_by("pk")
    )
    last_pk = 0
    while True:
        chunk = list(responses.filter(pk__gt=last_pk)[:EXPORT_CHUNK])
        if not chunk:
            return
        last_pk = chunk[-1].pk
        ids = [response.pk for response in chunk]
        preferences = defaultdict(list)
        for response_id, section_id, code, rank in (
            OptionPreference.objects.filter(response_id__in=ids)
            .order_by("response_id", "section_id", "rank", "option__order")
            .values_list("response_id", "section_id", "option__code", "rank")
        ):
            preferences[response_id, section_id].append(f"{code}={rank}")
        rationale = dict(
            ((response_id, section_id), text)
            for response_id, section_id, text in SectionAnswer.objects.filter(
                response_id__in=ids
            ).values_list("response_id", "section_id", "rationale")
        )
        unclear = defaultdict(list)
        for response_id, section_id, code, text in (
            UnclearFlag.objects.filter(response_id__in=ids)
            .order_by("response_id", "option__order", "option_id")
            .values_list("response_id", "option__section_id", "option__code", "text")
        ):
            unclear[response_id, section_id].append(f"{code}: {text}")
        proposed = defaultdict(list)
        for item in ProposedOption.objects.filter(response_id__in=ids).order_by("pk"):
            proposed[item.response_id, item.section_id].append(_proposal_text(item))
        for response in chunk:
            organisation = response.member.organisation
            head = [
                response.pk,
                response.submitted_at.astimezone(datetime.UTC).isoformat() if response.submitted_at else "",
                response.member.full_name,
                organisation.name if organisation else "",
                response.on_behalf_of.name if response.on_behalf_of else "",
                response.chamber.localized_name(),
                response.sector.localized_name(),
                response.country.code,
                response.org_type,
            ]
            whole_paper = "\n".join(proposed.get((response.pk, None), []))
            tail = [whole_paper, response.general_comments, "yes" if response.is_public else "no"]
            for section in sections:
                key = (response.pk, section.pk)
                row = [
                    *head,
                    section.title,
                    ";".join(preferences.get(key, [])),
                    rationale.get(key, ""),
                    "\n".join(unclear.get(key, [])),
                    "\n".join(proposed.get(key, [])),
                    *tail,
                ]
                yield row


def general_comments(consultation, *, filters: dict | None = None) -> QuerySet[Response]:
    """Responses with general comments, newest first, with who gave them joined."""
    return analysis_responses(consultation, filters=filters).exclude(general_comments="")
