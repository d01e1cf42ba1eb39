"""Demo data: the CASM case of the 2010 options paper, with invented people and organisations.

Everything invented is marked ``is_fictional`` and its name says "(fictional)" where it is an
organisation. Loading is idempotent: records are matched on natural keys and updated in place.
"""

import datetime
import random

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.contrib.sites.models import Site
from django.db import transaction
from django.utils import timezone

from casm import roles
from casm.demo_charter import demo_charter
from casm.demo_consultations import demo_consultations
from casm.demo_slates import demo_slates
from governance.bodies.models import Body, Seat, SurveyInvitation, Term
from governance.bodies.services.survey import survey_answer_by_link, survey_link_token, survey_send
from network.models import (
    Chamber,
    CountryIncomeGroup,
    FeeTier,
    MeansTestRule,
    Member,
    Membership,
    Organisation,
    Pledge,
    PledgeAffirmation,
    Sector,
    SubChamber,
    User,
)
from network.services.means_test import fee_tier_for, means_test_context

DEMO_PASSWORD = "casm-demo-2010"
DEMO_MEMBERS = 400
# A published, demo-only TOTP secret so that anyone can log in as the demo secretariat user.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

CHAMBERS = [
    (
        "government",
        "Government and agencies",
        "Governments of ASM countries and other governments (§5 Option 3).",
        1,
    ),
    ("civil-society", "Civil society", "Development, human-rights, environmental and service NGOs.", 2),
    ("asm", "Artisanal and small-scale miners", "Small-scale miners and their representatives.", 3),
    ("corporations", "Corporations", "Large-scale mining companies, supply-chain actors and investors.", 4),
]
SUB_CHAMBERS = [
    ("government", "south", "ASM-country governments (South)", 1),
    ("government", "north", "Other governments (North)", 2),
]
SECTORS = [
    ("asm-governments", "Governments of ASM countries", "government", False, 1),
    ("corporations", "Corporations", "corporations", False, 2),
    ("civil-society", "Civil society", "civil-society", False, 3),
    ("miners", "Small-scale miners and their representatives", "asm", True, 4),
    ("other-governments", "Other governments", "government", False, 5),
]
# The names (and chamber descriptions) in French, Spanish and Portuguese, saved into ``translations``.
CHAMBER_TRANSLATIONS = {
    "government": {
        "fr": {
            "name": "Gouvernements et organismes publics",
            "description": (
                "Gouvernements des pays où se pratique l’EMAPE et autres gouvernements (§ 5, option 3)."
            ),
        },
        "es": {
            "name": "Gobiernos y organismos públicos",
            "description": "Gobiernos de países con MAPE y otros gobiernos (§5, opción 3).",
        },
        "pt": {
            "name": "Governos e órgãos públicos",
            "description": "Governos de países com MAPE e outros governos (§5, opção 3).",
        },
    },
    "civil-society": {
        "fr": {
            "name": "Société civile",
            "description": (
                "ONG de développement, de défense des droits humains, d’environnement et de services."
            ),
        },
        "es": {
            "name": "Sociedad civil",
            "description": "ONG de desarrollo, derechos humanos, medio ambiente y servicios.",
        },
        "pt": {
            "name": "Sociedade civil",
            "description": (
                "ONGs de desenvolvimento, direitos humanos, meio ambiente e prestação de serviços."
            ),
        },
    },
    "asm": {
        "fr": {
            "name": "Exploitants miniers artisanaux et à petite échelle",
            "description": "Petits exploitants miniers et leurs représentants.",
        },
        "es": {
            "name": "Mineros artesanales y en pequeña escala",
            "description": "Pequeños mineros y sus representantes.",
        },
        "pt": {
            "name": "Mineradores artesanais e em pequena escala",
            "description": "Pequenos mineradores e seus representantes.",
        },
    },
    "corporations": {
        "fr": {
            "name": "Entreprises",
            "description": (
                "Grandes sociétés minières, acteurs de la chaîne d’approvisionnement et investisseurs."
            ),
        },
        "es": {
            "name": "Empresas",
            "description": "Grandes empresas mineras, actores de la cadena de suministro e inversionistas.",
        },
        "pt": {
            "name": "Empresas",
            "description": "Grandes mineradoras, atores da cadeia de suprimentos e investidores.",
        },
    },
}
SUB_CHAMBER_TRANSLATIONS = {
    ("government", "south"): {
        "fr": {"name": "Gouvernements des pays où se pratique l’EMAPE (Sud)"},
        "es": {"name": "Gobiernos de países con MAPE (Sur)"},
        "pt": {"name": "Governos de países com MAPE (Sul)"},
    },
    ("government", "north"): {
        "fr": {"name": "Autres gouvernements (Nord)"},
        "es": {"name": "Otros gobiernos (Norte)"},
        "pt": {"name": "Outros governos (Norte)"},
    },
}
SECTOR_TRANSLATIONS = {
    "asm-governments": {
        "fr": {"name": "Gouvernements des pays où se pratique l’EMAPE"},
        "es": {"name": "Gobiernos de países con MAPE"},
        "pt": {"name": "Governos de países com MAPE"},
    },
    "corporations": {
        "fr": {"name": "Entreprises"},
        "es": {"name": "Empresas"},
        "pt": {"name": "Empresas"},
    },
    "civil-society": {
        "fr": {"name": "Société civile"},
        "es": {"name": "Sociedad civil"},
        "pt": {"name": "Sociedade civil"},
    },
    "miners": {
        "fr": {"name": "Petits exploitants miniers et leurs représentants"},
        "es": {"name": "Pequeños mineros y sus representantes"},
        "pt": {"name": "Pequenos mineradores e seus representantes"},
    },
    "other-governments": {
        "fr": {"name": "Autres gouvernements"},
        "es": {"name": "Otros gobiernos"},
        "pt": {"name": "Outros governos"},
    },
}
INCOME_GROUPS = {
    "CD": "low",
    "UG": "low",
    "MG": "low",
    "ET": "low",
    "TZ": "lower_middle",
    "GH": "lower_middle",
    "NG": "lower_middle",
    "MN": "lower_middle",
    "BO": "lower_middle",
    "PH": "lower_middle",
    "PE": "upper_middle",
    "CO": "upper_middle",
    "BR": "upper_middle",
    "ZA": "upper_middle",
    "GB": "high",
    "US": "high",
    "DE": "high",
    "CA": "high",
    "NL": "high",
    "CH": "high",
    "FR": "high",
}
# Each rule's name says what it matches: organisation type, income group, size.
RULES = [
    (
        10,
        "Miners' groups in lower-middle income countries",
        "miners_group",
        "lower_middle",
        "",
        FeeTier.NO_FEE,
    ),
    (20, "Any organisation in a low-income country", "", "low", "", FeeTier.NO_FEE),
    (
        30,
        "Small organisations in lower-middle income countries",
        "",
        "lower_middle",
        "small",
        FeeTier.MEANS_TESTED,
    ),
    (40, "Service NGOs of up to 49 people", "service_ngo", "", "small", FeeTier.MEANS_TESTED),
]
# Rules whose name said something else than they matched, renamed where a demo was loaded before.
RENAMED_RULES = {
    "Miners' groups in low and lower-middle income countries": (
        "Miners' groups in lower-middle income countries"
    ),
}
ORGANISATIONS = [
    ("Kivu Artisanal Gold Cooperative (fictional)", "miners_group", "CD", "medium"),
    ("Geita Small Miners Association (fictional)", "miners_group", "TZ", "large"),
    ("Tarkwa Galamsey Reform Group (fictional)", "miners_group", "GH", "small"),
    ("Puno Mineros Responsables (fictional)", "miners_group", "PE", "medium"),
    ("Gobi Ninja Miners Federation (fictional)", "miners_group", "MN", "small"),
    ("Ministry of Mines and Minerals of Ubuntia (fictional)", "asm_ministry", "UG", "large"),
    ("Minerals Commission Liaison Office (fictional)", "asm_ministry", "GH", "medium"),
    ("Northern Development Cooperation Agency (fictional)", "aid_agency", "DE", "large"),
    ("Atlantic Aid for Livelihoods (fictional)", "aid_agency", "GB", "large"),
    ("Highland Mining Corporation (fictional)", "lsm_company", "CA", "large"),
    ("Andes Metals plc (fictional)", "lsm_company", "PE", "large"),
    ("Bright Circuit Electronics (fictional)", "supply_chain", "NL", "large"),
    ("Meridian Refiners (fictional)", "supply_chain", "CH", "medium"),
    ("Mercury-Free Futures (fictional)", "advocacy_ngo", "US", "small"),
    ("Rights at the Pit (fictional)", "advocacy_ngo", "ZA", "small"),
    ("Field Services for Mining Communities (fictional)", "service_ngo", "TZ", "small"),
    ("Great Lakes Mediation Centre (fictional)", "service_ngo", "CD", "micro"),
    ("Small-Mechanised Mining Fund (fictional)", "investor", "GB", "small"),
]
FIRST = [
    "Ama",
    "Kwame",
    "Neema",
    "Baraka",
    "Chantal",
    "Jean-Paul",
    "Rosa",
    "Luis",
    "Bolormaa",
    "Ganbaatar",
    "Aisha",
    "Emeka",
    "Hanna",
    "Tom",
    "Sofia",
    "Mateus",
    "Lea",
    "Ravi",
    "Grace",
    "Joseph",
    "Marie",
    "Pedro",
    "Nomvula",
    "Tendai",
    "Fatou",
    "Olga",
    "Carlos",
    "Anjali",
    "Samuel",
    "Esther",
]
LAST = [
    "Mensah",
    "Owusu",
    "Mwakyusa",
    "Kimaro",
    "Mukendi",
    "Kabila-Ndaye",
    "Quispe",
    "Huamán",
    "Batbayar",
    "Dorj",
    "Bello",
    "Okafor",
    "Schmidt",
    "Whitfield",
    "Ferreira",
    "Costa",
    "Dubois",
    "Menon",
    "Achieng",
    "Nkurunziza",
    "Lambert",
    "Rojas",
    "Dlamini",
    "Moyo",
    "Diallo",
    "Petrova",
    "Vargas",
    "Rao",
    "Tesfaye",
    "Banda",
]
SECTOR_FOR_TYPE = {
    "miners_group": "miners",
    "asm_ministry": "asm-governments",
    "aid_agency": "other-governments",
    "lsm_company": "corporations",
    "supply_chain": "corporations",
    "investor": "corporations",
    "advocacy_ngo": "civil-society",
    "service_ngo": "civil-society",
}
PARTICIPATION_TEXT = (
    "I join the CASM network to work with governments, companies, civil society and miners towards "
    "responsible artisanal and small-scale mining. I will take part in good faith, share what I learn, "
    "respect the ground rules of the network and hold my fellow members, and myself, mutually accountable."
)
MINING_TEXT = (
    "As a small-scale miner or a representative of miners, I commit to responsible practice: safe work, "
    "no child labour, reducing and ending the use of mercury, respect for the rights of communities and "
    "the environment, and working towards formal, legal operation where it is possible."
)
# The pledges in French, Spanish and Portuguese, stored like the demo options' translations.
PARTICIPATION_TRANSLATIONS = {
    "fr": {
        "title": "Engagement de participation à CASM",
        "text": "J’adhère au réseau CASM pour travailler avec les gouvernements, les entreprises, la "
        "société civile et les exploitants miniers en faveur d’une exploitation minière artisanale et à "
        "petite échelle responsable. Je participerai de bonne foi, je partagerai ce que j’apprends, je "
        "respecterai les règles de base du réseau, et les autres membres et moi-même nous rendrons "
        "mutuellement des comptes.",
    },
    "es": {
        "title": "Compromiso de participación en CASM",
        "text": "Me uno a la red CASM para trabajar con gobiernos, empresas, sociedad civil y mineros por "
        "una minería artesanal y en pequeña escala responsable. Participaré de buena fe, compartiré lo "
        "que aprenda, respetaré las reglas básicas de la red y rendiré cuentas a los demás miembros, "
        "como ellos a mí.",
    },
    "pt": {
        "title": "Compromisso de participação no CASM",
        "text": "Ingresso na rede CASM para trabalhar com governos, empresas, sociedade civil e "
        "mineradores por uma mineração artesanal e em pequena escala responsável. Participarei de "
        "boa-fé, compartilharei o que aprender, respeitarei as regras básicas da rede e prestarei contas "
        "aos demais membros, assim como eles a mim.",
    },
}
MINING_TRANSLATIONS = {
    "fr": {
        "title": "Engagement pour des pratiques minières responsables",
        "text": "En tant que petit exploitant minier ou représentant d’exploitants miniers, je "
        "m’engage à des pratiques responsables : un travail sûr, aucun travail des enfants, la "
        "réduction puis l’abandon du mercure, le respect des droits des communautés et de "
        "l’environnement, et le passage à une activité formelle et légale là où c’est possible.",
    },
    "es": {
        "title": "Compromiso con prácticas de minería responsable",
        "text": "Como pequeño minero o representante de mineros, me comprometo con prácticas "
        "responsables: trabajo seguro, sin trabajo infantil, reducir y eliminar el uso del mercurio, "
        "respetar los derechos de las comunidades y el medio ambiente, y avanzar hacia una operación "
        "formal y legal donde sea posible.",
    },
    "pt": {
        "title": "Compromisso com práticas de mineração responsável",
        "text": "Como pequeno minerador ou representante de mineradores, assumo o compromisso de adotar "
        "práticas responsáveis: trabalho seguro, nenhum trabalho infantil, redução e fim do uso de "
        "mercúrio, respeito aos direitos das comunidades e ao meio ambiente, e avanço rumo a uma "
        "operação formal e legal onde for possível.",
    },
}


def _user(email: str, name: str, **extra) -> User:
    first, _, last = name.partition(" ")
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first, "last_name": last, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _member(
    *, email, name, organisation, sector, country, status, rng, user=None, listed=True, rules, groups
):
    member, _ = Member.objects.update_or_create(
        email=email,
        defaults={
            "user": user,
            "full_name": name,
            "organisation": organisation,
            "country": country,
            "sector": sector,
            "languages": rng.sample(["en", "fr", "es", "pt"], k=rng.randint(1, 2)),
            "role": rng.choice(
                ["Programme officer", "Director", "Chairperson", "Field coordinator", "Adviser"]
            ),
            "listed_in_directory": listed,
            "is_fictional": True,
        },
    )
    tier, rule = fee_tier_for(member=member, rules=rules, income_groups=groups)
    Membership.objects.update_or_create(
        member=member,
        defaults={
            "status": status,
            "status_reason": "Demo data",
            **_membership_dates(status, rng, timezone.localdate()),
            "fee_tier": tier,
            "fee_rule": rule,
        },
    )
    return member


# Members (and those who lapsed since) were approved before the 2010 options paper went out (15 November).
JOINED_FROM, JOINED_UNTIL = datetime.date(2008, 1, 7), datetime.date(2010, 10, 1)
TERM = datetime.timedelta(days=730)


def _at_nine(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=datetime.UTC)


def _membership_dates(status, rng, today: datetime.date) -> dict:
    """Dates in the order they happen: applied ≤ approved ≤ term start ≤ term end (≤ lapsed).

    Active members applied before the 2010 paper and are in a current two-year term (renewed since);
    applicants applied in the last weeks; lapsed members' last term ended a while ago. Reloading
    the demo on the same day gives the same dates.
    """
    if status == Membership.Status.APPLIED:
        applied = _at_nine(today - datetime.timedelta(days=rng.randint(3, 40)))
        return {"applied_at": applied, "status_changed_at": applied, "term_start": None, "term_end": None}
    applied_on = JOINED_FROM + datetime.timedelta(days=rng.randint(0, (JOINED_UNTIL - JOINED_FROM).days))
    approved = _at_nine(applied_on + datetime.timedelta(days=rng.randint(5, 40)))
    if status == Membership.Status.ACTIVE:
        term_start = today - datetime.timedelta(days=rng.randint(30, 600))
        changed = approved
    else:  # lapsed: the last term ended, then the membership lapsed
        term_start = today - datetime.timedelta(days=rng.randint(800, 1500))
        changed = _at_nine(term_start + TERM + datetime.timedelta(days=rng.randint(1, 30)))
    return {
        "applied_at": _at_nine(applied_on),
        "status_changed_at": changed,
        "term_start": term_start,
        "term_end": term_start + TERM,
    }


@transaction.atomic
def demo_load(*, site_domain: str = "127.0.0.1:8000") -> dict:
    """Load or refresh the demo; returns the demo logins."""
    rng = random.Random(2010)
    Site.objects.update_or_create(pk=1, defaults={"domain": site_domain, "name": "CASM Portal (demo)"})

    chambers = {}
    for code, name, description, order in CHAMBERS:
        chambers[code], _ = Chamber.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "order": order,
                "content_language": "en",
                "translations": CHAMBER_TRANSLATIONS.get(code, {}),
            },
        )
    for chamber_code, code, name, order in SUB_CHAMBERS:
        SubChamber.objects.update_or_create(
            chamber=chambers[chamber_code],
            code=code,
            defaults={
                "name": name,
                "order": order,
                "content_language": "en",
                "translations": SUB_CHAMBER_TRANSLATIONS.get((chamber_code, code), {}),
            },
        )
    sectors = {}
    for code, name, chamber_code, mining, order in SECTORS:
        sectors[code], _ = Sector.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "chamber": chambers[chamber_code],
                "requires_mining_pledge": mining,
                "order": order,
                "content_language": "en",
                "translations": SECTOR_TRANSLATIONS.get(code, {}),
            },
        )
    for country, group in INCOME_GROUPS.items():
        CountryIncomeGroup.objects.update_or_create(country=country, defaults={"group": group})
    for old, new in RENAMED_RULES.items():
        if not MeansTestRule.objects.filter(name=new).exists():
            MeansTestRule.objects.filter(name=old).update(name=new)
    for priority, name, org_type, income, size, tier in RULES:
        MeansTestRule.objects.update_or_create(
            name=name,
            defaults={
                "priority": priority,
                "org_type": org_type,
                "income_group": income,
                "max_size": size,
                "tier": tier,
            },
        )

    staff = _user("secretariat@casm.example", "Sam Secretariat (fictional)")
    staff.groups.add(Group.objects.get(name=roles.SECRETARIAT))
    if not Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(staff, DEMO_TOTP_SECRET)
    admin = _user("admin@casm.example", "Ada Admin (fictional)", is_staff=True, is_superuser=True)
    if not Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(admin, DEMO_TOTP_SECRET)

    participation, _ = Pledge.objects.get_or_create(
        kind=Pledge.Kind.PARTICIPATION,
        version=1,
        defaults={
            "title": "CASM participation commitment",
            "text": PARTICIPATION_TEXT,
            "translations": PARTICIPATION_TRANSLATIONS,
            "published_by": staff,
        },
    )
    mining, _ = Pledge.objects.get_or_create(
        kind=Pledge.Kind.RESPONSIBLE_MINING,
        version=1,
        defaults={
            "title": "Responsible mining practice commitment",
            "text": MINING_TEXT,
            "translations": MINING_TRANSLATIONS,
            "published_by": staff,
        },
    )
    for pledge, translations in ((participation, PARTICIPATION_TRANSLATIONS), (mining, MINING_TRANSLATIONS)):
        if not pledge.translations:  # a demo loaded before the pledges were translated
            pledge.translations = translations
            pledge.save(update_fields=["translations", "updated_at"])

    organisations = []
    for name, org_type, country, size in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            name=name, country=country, defaults={"org_type": org_type, "size": size, "is_fictional": True}
        )
        organisations.append(org)

    rules, groups = means_test_context()
    statuses = [Membership.Status.ACTIVE] * 8 + [Membership.Status.APPLIED, Membership.Status.LAPSED]
    members = []
    for i in range(DEMO_MEMBERS):
        org = organisations[i % len(organisations)]
        # Each round through the first names pairs them with other family names: no name twice.
        first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST) + i * 7) % len(LAST)]
        status = statuses[rng.randrange(len(statuses))]
        members.append(
            _member(
                email=f"{first}.{last}.{i}@demo.casm.example".lower().replace("é", "e").replace("á", "a"),
                name=f"{first} {last}",
                organisation=org,
                sector=sectors[SECTOR_FOR_TYPE[org.org_type]],
                country=org.country.code,
                status=status,
                rng=rng,
                listed=rng.random() < 0.7,
                rules=rules,
                groups=groups,
            )
        )

    member_user = _user("member@casm.example", "Neema Mwakyusa (fictional)")
    member = _member(
        email="member@casm.example",
        name="Neema Mwakyusa",
        organisation=organisations[15],
        sector=sectors["civil-society"],
        country="TZ",
        status=Membership.Status.ACTIVE,
        rng=rng,
        user=member_user,
        rules=rules,
        groups=groups,
    )
    miner_user = _user("miner@casm.example", "Kwame Owusu (fictional)")
    miner = _member(
        email="miner@casm.example",
        name="Kwame Owusu",
        organisation=organisations[2],
        sector=sectors["miners"],
        country="GH",
        status=Membership.Status.ACTIVE,
        rng=rng,
        user=miner_user,
        rules=rules,
        groups=groups,
    )
    applicant_user = _user("applicant@casm.example", "Rosa Quispe (fictional)")
    _member(
        email="applicant@casm.example",
        name="Rosa Quispe",
        organisation=organisations[3],
        sector=sectors["miners"],
        country="PE",
        status=Membership.Status.APPLIED,
        rng=rng,
        user=applicant_user,
        rules=rules,
        groups=groups,
    )

    # Most active members have affirmed what applies to them; the demo miner still has to.
    for m in [*members, member]:
        if m.membership.status != Membership.Status.ACTIVE or rng.random() < 0.15:
            continue
        PledgeAffirmation.objects.get_or_create(member=m, pledge=participation)
        if m.sector.requires_mining_pledge:
            PledgeAffirmation.objects.get_or_create(member=m, pledge=mining)

    _bodies(chambers, sectors, members, rng)
    _smag_survey(staff)
    demo_slates(staff=staff)
    # Four in five active members answered the 2010 paper (the audience: all active members).
    active = [m for m in members if m.membership.status == Membership.Status.ACTIVE]
    respondents = [m for i, m in enumerate(active) if i % 5]
    consultations = demo_consultations(respondents)
    demo_charter(staff=staff)
    return {
        "consultations": consultations,
        "password": DEMO_PASSWORD,
        "totp_secret": DEMO_TOTP_SECRET,
        "logins": [
            ("secretariat staff (TOTP required)", staff.email),
            ("site administrator (TOTP required)", admin.email),
            ("member (civil society)", member_user.email),
            ("miner, pledges to affirm", miner_user.email),
            ("applicant awaiting review", applicant_user.email),
        ],
        "miner": miner,
    }


def _bodies(chambers, sectors, members, rng):
    smag, _ = Body.objects.update_or_create(
        slug="smag",
        defaults={
            "name": "Strategic Management Advisory Group",
            "short_name": "SMAG",
            "kind": Body.Kind.ADVISORY_GROUP,
            "order": 1,
            **_rules(min_size=5, max_size=12, max_per_sector=2, max_per_organisation=1, term_months=24),
            "has_vice_chair": True,
            "description": "The current advisory group of CASM. The Interim Steering Committee "
            "grows out of it (options paper, §1).",
            "translations": {
                "fr": {
                    "description": "Le groupe consultatif actuel de CASM. Le comité de pilotage "
                    "intérimaire en est issu (document d’options, § 1).",
                },
                "es": {
                    "description": "El grupo asesor actual de CASM. De él surge el Comité Directivo "
                    "Interino (documento de opciones, §1).",
                },
                "pt": {
                    "description": "O grupo consultivo atual do CASM. Dele nasce o Comitê Diretor "
                    "Interino (documento de opções, §1).",
                },
            },
        },
    )
    isc, _ = Body.objects.update_or_create(
        slug="interim-steering-committee",
        defaults={
            "name": "Interim Steering Committee",
            "kind": Body.Kind.STEERING_COMMITTEE,
            "order": 2,
            # Seven to nine members (§1), two representatives per sector (§8), the World Bank besides.
            **_rules(
                min_size=7, max_size=9, min_per_sector=1, max_per_sector=2, max_per_country=2, term_months=24
            ),
            "has_vice_chair": True,
            "description": "Seven to nine members drawn from the five sectors (§1); the scenario of §8 "
            "proposes two representatives per sector and a chair. Its slate is endorsed by the network.",
            "translations": {
                "fr": {
                    "description": "Sept à neuf membres issus des cinq secteurs (§ 1) ; le scénario du "
                    "§ 8 prévoit deux représentants par secteur et une présidence. La liste de ses "
                    "membres est approuvée par le réseau.",
                },
                "es": {
                    "description": "De siete a nueve miembros de los cinco sectores (§1); el escenario "
                    "del §8 propone dos representantes por sector y una presidencia. La red respalda la "
                    "lista de sus integrantes.",
                },
                "pt": {
                    "description": "De sete a nove membros vindos dos cinco setores (§1); o cenário do §8 "
                    "propõe dois representantes por setor e uma presidência. Sua composição é endossada "
                    "pela rede.",
                },
            },
        },
    )
    task_group, _ = Body.objects.update_or_create(
        slug="asm-issue-analysis-task-group",
        defaults={
            "name": "ASM issue analysis task group",
            "kind": Body.Kind.TASK_GROUP,
            "order": 3,
            "parent": isc,  # appointed by the committee, reports to it (§1)
            **_rules(min_size=3, max_size=5, max_per_organisation=1, term_months=12),
            "description": "A small task group appointed by the Interim Steering Committee to consider the "
            "PACT analysis of the ASM sector and clarify guidance for CASM planning (§1).",
            "translations": {
                "fr": {
                    "description": "Un petit groupe de travail nommé par le comité de pilotage "
                    "intérimaire pour examiner l’analyse du secteur de l’EMAPE réalisée par PACT et "
                    "préciser les orientations pour la planification de CASM (§ 1).",
                },
                "es": {
                    "description": "Un pequeño grupo de trabajo designado por el Comité Directivo "
                    "Interino para examinar el análisis del sector de la MAPE elaborado por PACT y "
                    "aclarar las orientaciones para la planificación de CASM (§1).",
                },
                "pt": {
                    "description": "Um pequeno grupo de trabalho nomeado pelo Comitê Diretor Interino "
                    "para examinar a análise do setor de MAPE feita pela PACT e esclarecer as "
                    "orientações para o planejamento do CASM (§1).",
                },
            },
        },
    )
    if not smag.seats.exists():
        _smag_seats_and_terms(smag, sectors, members)
    if not isc.seats.exists():
        # Vacant until the network endorses the committee's slate.
        for sector in sectors.values():
            for n in range(2):
                Seat.objects.create(
                    body=isc, chamber=sector.chamber, sector=sector, label=f"{sector.name} seat {n + 1}"
                )
        Seat.objects.create(
            body=isc, label="World Bank (permanent observer)", is_permanent=True, role=Seat.Role.OBSERVER
        )
    if not task_group.seats.exists():
        for n in range(3):
            Seat.objects.create(body=task_group, label=f"Task group seat {n + 1}")


def _rules(**rules) -> dict:
    """A body's composition rules; those not named are cleared (blank: no such rule)."""
    names = ("min_size", "max_size", "min_per_sector", "max_per_sector", "min_per_chamber", "max_per_chamber")
    names += ("max_per_organisation", "max_per_country", "term_months")
    return {name: rules.get(name) for name in names}


def _smag_seats_and_terms(smag, sectors, members):
    """Two seats per sector and the World Bank's. Each sector seat had a past term (four to two years
    ago) and has a current one of two years; some fall vacant within 90 days, so the body's page and
    the staff dashboard show them. Holders are the demo's fictional members."""
    today = timezone.localdate()
    past_start, current_start = (
        today - datetime.timedelta(days=4 * 365),
        today - datetime.timedelta(days=2 * 365),
    )
    ends_in = [30, 75, 200, 320, 45, 400, 150, 60, 500, 250]  # days from today, seat by seat
    active = [m for m in members if m.membership.status == Membership.Status.ACTIVE]
    n_seat = 0
    for index, sector in enumerate(sectors.values()):
        of_sector = [m for m in active if m.sector_id == sector.pk]
        holders, past_holders = of_sector[:2], of_sector[2:4]
        for n, holder in enumerate(holders):
            role = (
                Seat.Role.CHAIR
                if (index, n) == (0, 0)
                else Seat.Role.VICE_CHAIR
                if (index, n) == (1, 0)
                else None
            )
            role = role or Seat.Role.MEMBER
            ends_on = today + datetime.timedelta(days=ends_in[n_seat % len(ends_in)])
            n_seat += 1
            seat = Seat.objects.create(
                body=smag,
                chamber=sector.chamber,
                sector=sector,
                holder=holder,
                label=f"{sector.name} seat {n + 1}",
                role=role,
                term_start=current_start,
                term_end=ends_on,
            )
            if n < len(past_holders):
                Term.objects.create(
                    seat=seat,
                    member=past_holders[n],
                    starts_on=past_start,
                    ends_on=current_start - datetime.timedelta(days=1),
                    ended_on=current_start - datetime.timedelta(days=1),
                    end_reason=Term.EndReason.EXPIRED,
                )
            Term.objects.create(seat=seat, member=holder, role=role, starts_on=current_start, ends_on=ends_on)
    Seat.objects.create(
        body=smag, label="World Bank (permanent observer)", is_permanent=True, role=Seat.Role.OBSERVER
    )


# What the SMAG's members answered (fictional): most continue, some stand down, the last has not answered.
SURVEY_COMMENTS = {
    SurveyInvitation.Answer.YES: "Happy to continue while the Interim Steering Committee is formed.",
    SurveyInvitation.Answer.NO: "Time to hand over to someone from my sector.",
    SurveyInvitation.Answer.UNDECIDED: "",
}


def _smag_survey(staff):
    """The SMAG surveyed for continued service (§1): answers through the members' signed links."""
    smag = Body.objects.get(slug="smag")
    if smag.surveys.exists():
        return
    survey = survey_send(
        actor=staff,
        body=smag,
        deadline=timezone.now() + datetime.timedelta(days=10),
        time_zone="Africa/Accra",
        reminder_offsets=[7, 2],
    )
    invitations = list(survey.invitations.select_related("member").order_by("pk"))
    pattern = [SurveyInvitation.Answer.YES, SurveyInvitation.Answer.YES, SurveyInvitation.Answer.NO]
    for index, invitation in enumerate(invitations[:-1]):  # the last has not answered
        answer = pattern[index % len(pattern)]
        if index == len(invitations) - 2 and index > 2:
            answer = SurveyInvitation.Answer.UNDECIDED
        survey_answer_by_link(
            token=survey_link_token(invitation), answer=answer, comment=SURVEY_COMMENTS[answer]
        )
