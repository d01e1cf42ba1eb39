"""Demo ground rules, decisions and mission (options paper §1, §2 and §8), with fictional people.

The Interim Steering Committee's ground rules paraphrase the procedural guidance §1 and §8 ask
for; its decisions log has one decision of each kind and one for members only; the mission's
first version is the 2010 draft of §2 and its second the committee's revision after the
consultation that closed on 10 December 2010. Loading twice changes nothing: what exists is kept.
"""

import datetime

from governance.bodies.models import Body
from governance.charter import services
from governance.charter.models import Decision, Document, DocumentVersion
from governance.consultations.models import Consultation

GROUND_RULES_V1 = """\
## Purpose

These ground rules guide the Interim Steering Committee while CASM plans its next phase (options
paper, §1 and §8). They are short on purpose: the committee is interim and its time is short.

## Members and roles

- The committee has two representatives per sector: governments of ASM countries, corporations,
  civil society, small-scale miners and their representatives, and other governments.
- The World Bank sits as a permanent observer.
- The committee appoints a **chair** from among its members. The chair convenes the meetings,
  proposes the agenda and states the decisions reached.
- A neutral **facilitator** supports the process: prepares papers, keeps the notes and helps the
  committee reach agreement. The facilitator does not take part in decisions.
- CASM staff and the regional CASM representatives take part in the meetings and support the
  committee's work, without a vote.

## How the committee decides

1. The committee seeks **consensus**: a decision that every member can live with, even if it is
   not everyone's first choice.
2. When consensus cannot be reached after a real effort, the chair may call a **vote**. A decision
   by vote needs two thirds of the members present.
3. Between meetings, the chair may decide matters of process (dates, agendas, who drafts what)
   and reports them at the next meeting.

## Meetings

- The committee meets by telephone once a month, and in person when resources allow.
- A meeting is quorate when a majority of the members take part.

## Openness

- Decisions are recorded in the committee's decisions log on the portal.
- Papers for the network are circulated to members for feedback before the committee decides.
"""

GROUND_RULES_V2 = """\
## Purpose

These ground rules guide the Interim Steering Committee while CASM plans its next phase (options
paper, §1 and §8). They are short on purpose: the committee is interim and its time is short.

## Members and roles

- The committee has two representatives per sector: governments of ASM countries, corporations,
  civil society, small-scale miners and their representatives, and other governments.
- The World Bank sits as a permanent observer.
- The committee appoints a **chair** and a **vice-chair** from among its members. The chair
  convenes the meetings, proposes the agenda and states the decisions reached; the vice-chair
  stands in when the chair is absent.
- A neutral **facilitator** supports the process: prepares papers, keeps the notes and helps the
  committee reach agreement. The facilitator does not take part in decisions.
- CASM staff and the regional CASM representatives take part in the meetings and support the
  committee's work, without a vote.
- Members declare any conflict of interest on an item before it is discussed.

## How the committee decides

1. The committee seeks **consensus**: a decision that every member can live with, even if it is
   not everyone's first choice.
2. When consensus cannot be reached after a real effort, the chair may call a **vote**. A decision
   by vote needs two thirds of the members present, including at least one member from three of
   the five sectors. The figures are recorded.
3. Between meetings, the chair may decide matters of process (dates, agendas, who drafts what)
   and reports them at the next meeting.

## Meetings

- The committee meets by telephone once a month, and in person when resources allow.
- A meeting is quorate when a majority of the members take part, from at least four sectors.

## Openness

- Decisions are recorded in the committee's decisions log on the portal. Decisions are public
  unless the committee decides that one is for members of the network only, and says why.
- Papers for the network are circulated to members for feedback before the committee decides.
"""

MISSION_V1 = """\
## Draft CASM mission and key attributes

**Mission:** CASM is a multi-stakeholder organization that aims to reduce poverty and promote
sustainable development, human rights, and the use of safe, responsible practices in countries
where artisanal and small-scale mining is an important economic activity.

- **Mutual accountability:** government, corporate, and civil society stakeholders in CASM hold
  each other mutually accountable for meeting objectives set on a global, regional, and
  in-country basis and for successful implementation of CASM programs and activities.
- **Members:** CASM's base is a global network of responsible small-scale miners linked to global
  stakeholders and experts.
- **Methods:** CASM encourages collaboration and learning; develops actionable policies, tools and
  products; convenes project and issue teams; creates space for cross-sector dialogue; initiates
  pilot programs to test solutions; and provides hands-on services, tools and guidance for its
  members.

## Goals

Where CASM is active, it seeks the following results:

- Improved livelihoods for miners touched by CASM programs
- More formalization of the ASM sector where appropriate and less illegal ASM
- Responsible ASM as a demonstrated pathway to sustainable development
- Prevention or mitigation of the negative environmental, social and cultural effects of ASM
- Reduction of the occupational health and safety risks to miners, their families and communities
- A decrease in conflicts around ASM and improved relations between ASM and LSM
- Greater transparency and documentation with regard to mining, trading and financial arrangements

## Strategies

Networks; policy development and best practices; in-country solutions; market systems and
incentives; capacity building; program response; cross-agency and donor coordination; evaluation
and monitoring.

## Five-year objectives

- Growing membership of miners in CASM
- Active participation of governments with ASM challenges
- Strong and growing participation of LSM companies, NGOs and donor governments
- Successful outcomes in [#] participating ASM countries
- CASM platform utilized to develop and advance [#] partnership projects
- A strong web presence that is actively used for information, tools, etc.
"""

MISSION_V2 = """\
## CASM mission and key attributes

**Mission:** CASM is a multi-stakeholder organization that aims to reduce poverty and promote
sustainable development, human rights, and the use of safe, responsible and mercury-free practices
in countries where artisanal and small-scale mining is an important economic activity.

- **Mutual accountability:** government, corporate, civil society and donor stakeholders in CASM
  hold each other mutually accountable for meeting objectives set on a global, regional, and
  in-country basis and for successful implementation of CASM programs and activities.
- **Members:** CASM's base is a global network of responsible small-scale miners linked to global
  stakeholders and experts.
- **Methods:** CASM encourages collaboration and learning; develops actionable policies, tools and
  products; convenes project and issue teams; creates space for cross-sector dialogue; initiates
  pilot programs to test solutions; and provides hands-on services, tools and guidance for its
  members.

## Goals

Where CASM is active, it seeks the following results:

- Improved livelihoods for miners touched by CASM programs
- Formalization of the ASM sector, with the mining ministries as partners, and less illegal ASM
- Responsible ASM as a demonstrated pathway to sustainable development
- Prevention or mitigation of the negative environmental, social and cultural effects of ASM,
  starting with the use of mercury
- Reduction of the occupational health and safety risks to miners, their families and communities
- Recognition and support of women in artisanal and small-scale mining
- A decrease in conflicts around ASM and improved relations between ASM and LSM
- Responsible supply chains that buyers can trust, with greater transparency and documentation
  with regard to mining, trading and financial arrangements

## Strategies

Networks; policy development and best practices; in-country solutions; market systems and
incentives; capacity building; program response; cross-agency and donor coordination; evaluation
and monitoring.

## Five-year objectives

- Growing membership of miners in CASM, and a count of the miners CASM programs reach
- Active participation of governments with ASM challenges
- Strong and growing participation of LSM companies, NGOs and donor governments
- Successful outcomes in 4 participating ASM countries
- CASM platform utilized to develop and advance 10 partnership projects
- A strong web presence that is actively used for information, tools, etc.
"""

GROUND_RULES = [
    (
        GROUND_RULES_V1,
        "Ground rules: draft for the committee's first meeting",
        "First draft, prepared by the facilitator.",
        datetime.datetime(2011, 1, 10, 15, 0, tzinfo=datetime.UTC),
        {
            "fr": {
                "title": "Règles de fonctionnement : projet pour la première réunion du comité",
                "summary": "Premier projet, préparé par le facilitateur.",
            },
            "es": {
                "title": "Reglas de funcionamiento: borrador para la primera reunión del comité",
                "summary": "Primer borrador, preparado por el facilitador.",
            },
            "pt": {
                "title": "Regras de funcionamento: rascunho para a primeira reunião do comitê",
                "summary": "Primeiro rascunho, preparado pelo facilitador.",
            },
        },
    ),
    (
        GROUND_RULES_V2,
        "Ground rules as adopted",
        "Adopted at the first meeting: a vice-chair, conflicts of interest, a vote and a quorum "
        "spread across sectors, and members-only decisions explained.",
        datetime.datetime(2011, 1, 21, 16, 0, tzinfo=datetime.UTC),
        {
            "fr": {
                "title": "Règles de fonctionnement adoptées",
                "summary": "Adoptées à la première réunion : une vice-présidence, les conflits d’intérêts, "
                "un vote et un quorum répartis entre secteurs, et les décisions réservées aux membres "
                "justifiées.",
            },
            "es": {
                "title": "Reglas de funcionamiento adoptadas",
                "summary": "Adoptadas en la primera reunión: una vicepresidencia, los conflictos de "
                "intereses, una votación y un quórum repartidos entre sectores, y las decisiones "
                "reservadas a los miembros justificadas.",
            },
            "pt": {
                "title": "Regras de funcionamento adotadas",
                "summary": "Adotadas na primeira reunião: uma vice-presidência, os conflitos de "
                "interesses, uma votação e um quórum distribuídos entre setores, e as decisões "
                "reservadas aos membros justificadas.",
            },
        },
    ),
]

MISSION = [
    (
        MISSION_V1,
        "Draft mission, goals and strategies (options paper, Section 2, 2010)",
        "The draft put to the network in the 2010 options paper.",
        datetime.datetime(2010, 11, 15, 14, 0, tzinfo=datetime.UTC),
        False,
        {
            "fr": {
                "title": "Projet de mission, buts et stratégies (document d’options, section 2, 2010)",
                "summary": "Le projet soumis au réseau dans le document d’options de 2010.",
            },
            "es": {
                "title": "Borrador de misión, metas y estrategias (documento de opciones, sección 2, 2010)",
                "summary": "El borrador sometido a la red en el documento de opciones de 2010.",
            },
            "pt": {
                "title": "Rascunho de missão, metas e estratégias (documento de opções, seção 2, 2010)",
                "summary": "O rascunho submetido à rede no documento de opções de 2010.",
            },
        },
    ),
    (
        MISSION_V2,
        "Mission, goals and strategies, revised by the Interim Steering Committee",
        "Revised after the consultation that closed on 10 December 2010: mercury named, donors "
        "in mutual accountability, goals on formalization with ministries, women in ASM and "
        "responsible supply chains, and figures in the five-year objectives.",
        datetime.datetime(2011, 2, 16, 14, 0, tzinfo=datetime.UTC),
        True,
        {
            "fr": {
                "title": "Mission, buts et stratégies, révisés par le comité de pilotage intérimaire",
                "summary": "Révisés après la consultation close le 10 décembre 2010 : le mercure nommé, "
                "les donateurs dans la responsabilité mutuelle, des buts sur la formalisation avec les "
                "ministères, les femmes dans l’EMAPE et les chaînes d’approvisionnement responsables, "
                "et des chiffres dans les objectifs à cinq ans.",
            },
            "es": {
                "title": "Misión, metas y estrategias, revisadas por el Comité Directivo Interino",
                "summary": "Revisadas tras la consulta cerrada el 10 de diciembre de 2010: se nombra el "
                "mercurio, los donantes en la rendición de cuentas mutua, metas sobre la formalización "
                "con los ministerios, las mujeres en la MAPE y las cadenas de suministro responsables, "
                "y cifras en los objetivos a cinco años.",
            },
            "pt": {
                "title": "Missão, metas e estratégias, revistas pelo Comitê Diretor Interino",
                "summary": "Revistas após a consulta encerrada em 10 de dezembro de 2010: o mercúrio "
                "nomeado, os doadores na responsabilização mútua, metas sobre a formalização com os "
                "ministérios, as mulheres na MAPE e as cadeias de suprimentos responsáveis, e números "
                "nos objetivos de cinco anos.",
            },
        },
    ),
]

# (date, method, figures, visibility, text, translations of the text)
DECISIONS = [
    (
        datetime.date(2011, 1, 21),
        Decision.Method.CONSENSUS,
        None,
        Decision.Visibility.PUBLIC,
        "The committee adopts its ground rules (version 2) and appoints Amara Diallo (fictional) as "
        "chair and Lucía Ferreira (fictional) as vice-chair.",
        {
            "fr": "Le comité adopte ses règles de fonctionnement (version 2) et nomme Amara Diallo "
            "(fictive) présidente et Lucía Ferreira (fictive) vice-présidente.",
            "es": "El comité adopta sus reglas de funcionamiento (versión 2) y nombra a Amara Diallo "
            "(ficticia) presidenta y a Lucía Ferreira (ficticia) vicepresidenta.",
            "pt": "O comitê adota suas regras de funcionamento (versão 2) e nomeia Amara Diallo "
            "(fictícia) presidente e Lucía Ferreira (fictícia) vice-presidente.",
        },
    ),
    (
        datetime.date(2011, 1, 28),
        Decision.Method.CHAIR,
        None,
        Decision.Visibility.PUBLIC,
        "The chair sets the calendar: the committee meets by telephone on the first Tuesday of each "
        "month at 14:00 UTC.",
        {
            "fr": "La présidente fixe le calendrier : le comité se réunit par téléphone le premier mardi "
            "de chaque mois à 14 h UTC.",
            "es": "La presidenta fija el calendario: el comité se reúne por teléfono el primer martes de "
            "cada mes a las 14:00 UTC.",
            "pt": "A presidente fixa o calendário: o comitê se reúne por telefone na primeira terça-feira "
            "de cada mês às 14h UTC.",
        },
    ),
    (
        datetime.date(2011, 2, 1),
        Decision.Method.CONSENSUS,
        None,
        Decision.Visibility.MEMBERS,
        "The secretariat prepares budgets for in-country pilots (Option C) in two countries before "
        "the donors' meeting. The countries under discussion stay with members until their "
        "governments confirm their interest.",
        {
            "fr": "Le secrétariat prépare les budgets de projets pilotes nationaux (option C) dans deux "
            "pays avant la réunion des donateurs. Les pays envisagés restent entre membres jusqu’à ce "
            "que leurs gouvernements confirment leur intérêt.",
        },
    ),
    (
        datetime.date(2011, 2, 15),
        Decision.Method.VOTE,
        (7, 1, 1),
        Decision.Visibility.PUBLIC,
        "After the consultation that closed on 10 December 2010, the committee adopts the revised "
        "mission, goals and strategies (version 2).",
        {
            "fr": "Après la consultation close le 10 décembre 2010, le comité adopte la mission, les buts "
            "et les stratégies révisés (version 2).",
            "es": "Tras la consulta cerrada el 10 de diciembre de 2010, el comité adopta la misión, las "
            "metas y las estrategias revisadas (versión 2).",
            "pt": "Após a consulta encerrada em 10 de dezembro de 2010, o comitê adota a missão, as metas "
            "e as estratégias revistas (versão 2).",
        },
    ),
]


def _backdate(version: DocumentVersion, when: datetime.datetime) -> None:
    """The demo's versions were published in 2010 and 2011; their history rows keep the loading's date."""
    DocumentVersion.objects.filter(pk=version.pk).update(published_at=when)


def demo_charter(*, staff) -> dict:
    """Ground rules and decisions of the Interim Steering Committee, and the mission's two versions."""
    isc = Body.objects.get(slug="interim-steering-committee")
    if not Document.objects.filter(kind=Document.Kind.GROUND_RULES, body=isc).exists():
        for text, title, summary, when, translations in GROUND_RULES:
            version = services.ground_rules_publish(
                actor=staff, body=isc, title=title, text=text, summary=summary, translations=translations
            )
            _backdate(version, when)
    if not Document.objects.filter(kind=Document.Kind.MISSION).exists():
        consultation = Consultation.objects.get(slug="casm-options-paper-2010")
        for text, title, summary, when, informed, translations in MISSION:
            version = services.mission_publish(
                actor=staff,
                title=title,
                text=text,
                summary=summary,
                consultation=consultation if informed else None,
                translations=translations,
            )
            _backdate(version, when)
    for decided_on, method, figures, visibility, text, translations in DECISIONS:
        if Decision.objects.filter(body=isc, decided_on=decided_on, method=method).exists():
            continue
        votes = dict(
            zip(("votes_for", "votes_against", "votes_abstain"), figures or (None,) * 3, strict=True)
        )
        services.decision_record(
            actor=staff,
            body=isc,
            text=text,
            decided_on=decided_on,
            method=method,
            visibility=visibility,
            translations={code: {"text": value} for code, value in translations.items()},
            **votes,
        )
    return {"body": isc}
