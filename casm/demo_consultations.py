"""Demo consultations: the 2010 options paper put to the network, with fictional responses.

One copy closed on 10 December 2010 (the paper's feedback deadline) with a few hundred
responses spread over the chambers, so the analysis has something to show; one copy open
until a date in the future, so anyone can try responding. Loading again changes nothing.
"""

import datetime
import random
import zoneinfo

from django.utils import timezone

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

ZONE = "America/New_York"  # RESOLVE, which ran the consultation, is in Washington D.C.

INTRODUCTION = """\
RESOLVE prepared this analysis of options for a revitalized Communities and Artisanal and
Small-scale Mining (CASM) program, governance system and structure, on behalf of stakeholders.
It is a tool to catalyze dialogue and work towards consensus; the options are meant to encourage
discussion rather than serve as final recommendations.

Please give **specific feedback on your preferred program, governance, delivery and housing
options** and **explain the rationale** for your preferences. Please also say **whether any
options are unclear**, and **share ideas for new or additional options**.
"""

# (title, mode, body, [(code, title, description)])
SECTIONS = [
    (
        "Mission, goals and strategies (Section 2)",
        ConsultationSection.Mode.COMMENT,
        "**Draft mission.** CASM is a multi-stakeholder organization that aims to reduce poverty and "
        "promote sustainable development, human rights, and the use of safe, responsible practices in "
        "countries where artisanal and small-scale mining is an important economic activity.\n\n"
        "**Key attributes:** mutual accountability; a global network of responsible small-scale miners "
        "linked to global stakeholders and experts; methods of collaboration, learning and in-country "
        "support.\n\n**Strategies:** networks; policy development and best practices; in-country "
        "solutions; market systems and incentives; capacity building; program response; cross-agency "
        "and donor coordination; evaluation and monitoring.\n\nComment on the draft mission, goals, "
        "strategies and five-year objectives.",
        [],
    ),
    (
        "Program options (Sections 3 and 4)",
        ConsultationSection.Mode.RANK,
        "Options A and B strengthen the current program; options C to F are new programs. "
        "Rank the options you would support, first choice first.",
        [
            (
                "A",
                "Strengthen the status quo (the current CASM network)",
                "A dedicated program director, modern collaborative web tools, the Knowledge Center, "
                "global and regional meetings, issue sub-groups, and a clearer affirmation of membership.",
            ),
            (
                "B",
                "Option A + experts roster",
                "Organize ASM experts into a searchable roster by region and area of expertise, for "
                "projects, consulting and training.",
            ),
            (
                "C",
                "In-country ASM services and tools",
                "Countries subscribe; donors and stakeholders design multi-year roadmaps with objectives "
                "agreed by key stakeholders and reviewed against them.",
            ),
            (
                "D",
                "CASM innovation and technical assistance fund",
                "Pooled donor funds seed a limited number of innovative projects, with access to experts.",
            ),
            (
                "E",
                "Community benefit services",
                "A service that designs and runs community benefit programs for companies, small "
                "operators and donors.",
            ),
            (
                "F",
                "ASM supply chain transparency platform",
                "A registration and reporting platform that keeps proprietary information confidential "
                "and is transparent on chain of custody and social, human-rights and environmental issues.",
            ),
        ],
    ),
    (
        "Governance options (Section 5)",
        ConsultationSection.Mode.RANK,
        "How should CASM make decisions, who makes them, and who is accountable for carrying them out?",
        [
            (
                "1",
                "Donor/stakeholder governed, volunteer emphasis",
                "Similar to the current model, with clarified roles; authority shared between the network, "
                "the host organization and a steering committee.",
            ),
            (
                "2",
                "Multi-sector, self perpetuation",
                "A founding board with permanent seats per sector that then selects its own replacements.",
            ),
            (
                "3",
                "Multi-sector, elected or selected",
                "Sectors organized into three or four chambers elect or select a board; members may ratify "
                "the board and major decisions.",
            ),
            (
                "4",
                "Outsourced, multi-sector advised",
                "Governance and program are contracted out to another, similar organization.",
            ),
        ],
    ),
    (
        "Delivery structure (Section 6)",
        ConsultationSection.Mode.RANK,
        "How should the program be organized to accomplish its objectives?",
        [
            ("1", "\u201cVolunteer\u201d model", "Reliance on working groups to execute programs."),
            (
                "2",
                "Staff delivery model",
                "Reliance on staff or consultants, overseen by a multi-sector team, to execute programs.",
            ),
            (
                "3",
                "Staff coordination model",
                "Multi-sector governance sets direction, staff coordinate and oversee delivery; execution "
                "happens where there is capacity.",
            ),
        ],
    ),
    (
        "Housing options (Section 7)",
        ConsultationSection.Mode.RANK,
        "Housing decisions should flow from choices on program, governance and structure.",
        [
            ("1", "The status quo", "In a public agency, the World Bank, or a similar institution."),
            ("2", "Part of another multi-party initiative", "For example EITI."),
            ("3", "In an NGO or member association", "Housed in an organization active on CASM issues."),
            ("4", "In a neutral secretariat", "Reinforces independence and a balance of interests."),
            ("5", "Hybrid model", "Well-defined roles and responsibilities shared between organizations."),
        ],
    ),
]

# The sections' short keys, by title: the tables below are keyed by them.
KEYS = {
    "Program options (Sections 3 and 4)": "program",
    "Governance options (Section 5)": "governance",
    "Delivery structure (Section 6)": "delivery",
    "Housing options (Section 7)": "housing",
}
# The options in French, Spanish and Portuguese: {(section key, code): {language: (title, description)}}.
OPTION_TRANSLATIONS = {
    ("program", "A"): {
        "fr": (
            "Renforcer le statu quo (le réseau CASM actuel)",
            "Un directeur de programme à plein temps, des outils web collaboratifs modernes, le Centre de "
            "connaissances, des réunions mondiales et régionales, des sous-groupes thématiques et une "
            "adhésion affirmée plus clairement.",
        ),
        "es": (
            "Fortalecer el statu quo (la red CASM actual)",
            "Un director de programa dedicado, herramientas web colaborativas modernas, el Centro de "
            "Conocimiento, reuniones mundiales y regionales, subgrupos temáticos y una afirmación más "
            "clara de la membresía.",
        ),
        "pt": (
            "Fortalecer o status quo (a rede CASM atual)",
            "Um diretor de programa dedicado, ferramentas web colaborativas modernas, o Centro de "
            "Conhecimento, reuniões globais e regionais, subgrupos temáticos e uma afirmação mais clara "
            "da adesão.",
        ),
    },
    ("program", "B"): {
        "fr": (
            "Option A + répertoire d’experts",
            "Réunir les experts de l’EMAPE dans un répertoire consultable par région et par domaine "
            "d’expertise, pour des projets, du conseil et de la formation.",
        ),
        "es": (
            "Opción A + registro de expertos",
            "Organizar a los expertos en MAPE en un registro consultable por región y área de "
            "especialización, para proyectos, consultorías y capacitación.",
        ),
        "pt": (
            "Opção A + cadastro de especialistas",
            "Organizar os especialistas em MAPE em um cadastro pesquisável por região e área de "
            "atuação, para projetos, consultorias e capacitação.",
        ),
    },
    ("program", "C"): {
        "fr": (
            "Services et outils EMAPE dans les pays",
            "Les pays adhèrent ; bailleurs et parties prenantes conçoivent des feuilles de route "
            "pluriannuelles, avec des objectifs convenus par les principaux acteurs et évalués au regard "
            "de ces objectifs.",
        ),
        "es": (
            "Servicios y herramientas de MAPE en los países",
            "Los países se suscriben; donantes y partes interesadas diseñan hojas de ruta plurianuales "
            "con objetivos acordados por los actores clave, que se evalúan frente a ellos.",
        ),
        "pt": (
            "Serviços e ferramentas de MAPE nos países",
            "Os países aderem; doadores e partes interessadas elaboram roteiros plurianuais com "
            "objetivos acordados pelos principais atores e avaliados com base neles.",
        ),
    },
    ("program", "D"): {
        "fr": (
            "Fonds CASM pour l’innovation et l’assistance technique",
            "Des fonds mis en commun par les bailleurs financent le démarrage d’un nombre limité de "
            "projets innovants, avec accès à des experts.",
        ),
        "es": (
            "Fondo CASM de innovación y asistencia técnica",
            "Fondos comunes de los donantes impulsan un número limitado de proyectos innovadores, con "
            "acceso a expertos.",
        ),
        "pt": (
            "Fundo CASM de inovação e assistência técnica",
            "Recursos reunidos pelos doadores financiam o início de um número limitado de projetos "
            "inovadores, com acesso a especialistas.",
        ),
    },
    ("program", "E"): {
        "fr": (
            "Services d’appui aux communautés",
            "Un service qui conçoit et gère des programmes au bénéfice des communautés pour les "
            "entreprises, les petits exploitants et les bailleurs.",
        ),
        "es": (
            "Servicios de beneficio comunitario",
            "Un servicio que diseña y gestiona programas de beneficio comunitario para empresas, "
            "pequeños operadores y donantes.",
        ),
        "pt": (
            "Serviços de benefício comunitário",
            "Um serviço que elabora e gerencia programas de benefício comunitário para empresas, "
            "pequenos operadores e doadores.",
        ),
    },
    ("program", "F"): {
        "fr": (
            "Plateforme de transparence des chaînes d’approvisionnement de l’EMAPE",
            "Une plateforme d’enregistrement et de déclaration qui protège les informations "
            "confidentielles et rend transparentes la chaîne de traçabilité et les questions sociales, "
            "environnementales et de droits humains.",
        ),
        "es": (
            "Plataforma de transparencia de la cadena de suministro de la MAPE",
            "Una plataforma de registro y reporte que mantiene confidencial la información reservada y "
            "es transparente sobre la cadena de custodia y los temas sociales, ambientales y de "
            "derechos humanos.",
        ),
        "pt": (
            "Plataforma de transparência da cadeia de suprimentos da MAPE",
            "Uma plataforma de registro e relatórios que mantém sigilosas as informações de propriedade "
            "e é transparente quanto à cadeia de custódia e às questões sociais, ambientais e de "
            "direitos humanos.",
        ),
    },
    ("governance", "1"): {
        "fr": (
            "Gouvernance par les bailleurs et les parties prenantes, fondée sur le bénévolat",
            "Proche du modèle actuel, avec des rôles clarifiés ; l’autorité est partagée entre le "
            "réseau, l’organisation hôte et un comité de pilotage.",
        ),
        "es": (
            "Gobernado por donantes y partes interesadas, con énfasis en el voluntariado",
            "Similar al modelo actual, con funciones aclaradas; la autoridad se comparte entre la red, "
            "la organización anfitriona y un comité directivo.",
        ),
        "pt": (
            "Governado por doadores e partes interessadas, com ênfase no voluntariado",
            "Semelhante ao modelo atual, com papéis esclarecidos; a autoridade é compartilhada entre a "
            "rede, a organização anfitriã e um comitê diretor.",
        ),
    },
    ("governance", "2"): {
        "fr": (
            "Multisectorielle, renouvelée par cooptation",
            "Un conseil fondateur avec des sièges permanents par secteur, qui choisit ensuite lui-même "
            "ses remplaçants.",
        ),
        "es": (
            "Multisectorial, con autorrenovación",
            "Una junta fundadora con escaños permanentes por sector, que luego elige a sus propios "
            "sucesores.",
        ),
        "pt": (
            "Multissetorial, com autorrenovação",
            "Um conselho fundador com assentos permanentes por setor, que depois escolhe seus próprios "
            "substitutos.",
        ),
    },
    ("governance", "3"): {
        "fr": (
            "Multisectorielle, élue ou désignée",
            "Les secteurs, regroupés en trois ou quatre chambres, élisent ou désignent un conseil ; les "
            "membres peuvent ratifier le conseil et les grandes décisions.",
        ),
        "es": (
            "Multisectorial, elegida o designada",
            "Los sectores, organizados en tres o cuatro cámaras, eligen o designan una junta; los "
            "miembros pueden ratificar la junta y las decisiones importantes.",
        ),
        "pt": (
            "Multissetorial, eleita ou designada",
            "Os setores, organizados em três ou quatro câmaras, elegem ou designam um conselho; os "
            "membros podem ratificar o conselho e as decisões importantes.",
        ),
    },
    ("governance", "4"): {
        "fr": (
            "Externalisée, conseillée par plusieurs secteurs",
            "La gouvernance et le programme sont confiés à une autre organisation semblable.",
        ),
        "es": (
            "Tercerizada, con asesoría multisectorial",
            "La gobernanza y el programa se contratan con otra organización similar.",
        ),
        "pt": (
            "Terceirizada, com assessoria multissetorial",
            "A governança e o programa são contratados com outra organização semelhante.",
        ),
    },
    ("delivery", "1"): {
        "fr": ("Modèle « bénévole »", "Les programmes sont mis en œuvre par des groupes de travail."),
        "es": ("Modelo “voluntario”", "Los programas se ejecutan mediante grupos de trabajo."),
        "pt": ("Modelo “voluntário”", "Os programas são executados por grupos de trabalho."),
    },
    ("delivery", "2"): {
        "fr": (
            "Mise en œuvre par le personnel",
            "Les programmes sont mis en œuvre par du personnel ou des consultants, sous la supervision "
            "d’une équipe multisectorielle.",
        ),
        "es": (
            "Modelo de ejecución por personal",
            "Los programas se ejecutan con personal o consultores, supervisados por un equipo "
            "multisectorial.",
        ),
        "pt": (
            "Modelo de execução por equipe",
            "Os programas são executados por funcionários ou consultores, supervisionados por uma "
            "equipe multissetorial.",
        ),
    },
    ("delivery", "3"): {
        "fr": (
            "Coordination par le personnel",
            "Une gouvernance multisectorielle fixe le cap, le personnel coordonne et supervise la mise "
            "en œuvre ; celle-ci a lieu là où se trouvent les capacités.",
        ),
        "es": (
            "Modelo de coordinación por personal",
            "Una gobernanza multisectorial fija el rumbo, el personal coordina y supervisa la "
            "ejecución; esta se realiza donde hay capacidad.",
        ),
        "pt": (
            "Modelo de coordenação por equipe",
            "Uma governança multissetorial define a direção, a equipe coordena e supervisiona a "
            "execução; esta acontece onde há capacidade.",
        ),
    },
    ("housing", "1"): {
        "fr": ("Le statu quo", "Dans un organisme public, la Banque mondiale ou une institution semblable."),
        "es": ("El statu quo", "En un organismo público, el Banco Mundial o una institución similar."),
        "pt": ("O status quo", "Em um órgão público, no Banco Mundial ou em instituição semelhante."),
    },
    ("housing", "2"): {
        "fr": ("Au sein d’une autre initiative multipartite", "Par exemple l’ITIE."),
        "es": ("Parte de otra iniciativa multiactor", "Por ejemplo, el EITI."),
        "pt": ("Parte de outra iniciativa multissetorial", "Por exemplo, a EITI."),
    },
    ("housing", "3"): {
        "fr": (
            "Dans une ONG ou une association de membres",
            "Hébergé par une organisation active sur les questions de la CASM.",
        ),
        "es": (
            "En una ONG o asociación de miembros",
            "Alojado en una organización activa en los temas de CASM.",
        ),
        "pt": (
            "Em uma ONG ou associação de membros",
            "Abrigado em uma organização atuante nas questões da CASM.",
        ),
    },
    ("housing", "4"): {
        "fr": ("Dans un secrétariat neutre", "Renforce l’indépendance et l’équilibre des intérêts."),
        "es": ("En una secretaría neutral", "Refuerza la independencia y el equilibrio de intereses."),
        "pt": ("Em um secretariado neutro", "Reforça a independência e o equilíbrio de interesses."),
    },
    ("housing", "5"): {
        "fr": (
            "Modèle hybride",
            "Des rôles et responsabilités bien définis, partagés entre plusieurs organisations.",
        ),
        "es": (
            "Modelo híbrido",
            "Funciones y responsabilidades bien definidas, compartidas entre organizaciones.",
        ),
        "pt": (
            "Modelo híbrido",
            "Papéis e responsabilidades bem definidos, compartilhados entre organizações.",
        ),
    },
}


def option_translations(section_title: str, code: str) -> dict:
    """The ``translations`` of a demo option: {"fr": {"title": …, "description": …}, …}."""
    texts = OPTION_TRANSLATIONS.get((KEYS.get(section_title), code), {})
    return {
        language: {"title": title, "description": description}
        for language, (title, description) in texts.items()
    }


# The consultations' own texts in French, Spanish and Portuguese, stored like the options'.
CONSULTATION_TITLE_TRANSLATIONS = {
    "CASM options paper: program, governance, delivery and housing (2010)": {
        "fr": "Document d’options de CASM : programme, gouvernance, mise en œuvre et hébergement (2010)",
        "es": "Documento de opciones de CASM: programa, gobernanza, ejecución y sede (2010)",
        "pt": "Documento de opções do CASM: programa, governança, execução e sede (2010)",
    },
    "CASM options paper: open copy to try responding": {
        "fr": "Document d’options de CASM : copie ouverte pour s’essayer à répondre",
        "es": "Documento de opciones de CASM: copia abierta para practicar cómo responder",
        "pt": "Documento de opções do CASM: cópia aberta para praticar como responder",
    },
}

INTRODUCTION_TRANSLATIONS = {
    "fr": """\
RESOLVE a préparé, au nom des parties prenantes, cette analyse des options pour un programme
Communautés et exploitation minière artisanale et à petite échelle (CASM) revitalisé, ainsi que
pour son système de gouvernance et sa structure. C’est un outil pour stimuler le dialogue et
avancer vers un consensus ; les options visent à ouvrir la discussion plutôt qu’à servir de
recommandations définitives.

Merci de donner **un avis précis sur les options de programme, de gouvernance, de mise en œuvre
et d’hébergement que vous préférez** et d’**expliquer la justification** de vos préférences.
Dites-nous aussi **si certaines options ne sont pas claires**, et **proposez des idées
d’options nouvelles ou supplémentaires**.
""",
    "es": """\
RESOLVE preparó, en nombre de las partes interesadas, este análisis de opciones para un programa
renovado de Comunidades y Minería Artesanal y en Pequeña Escala (CASM, por sus siglas en inglés),
su sistema de gobernanza y su estructura. Es una herramienta para impulsar el diálogo y avanzar
hacia el consenso; las opciones buscan fomentar la discusión y no pretenden ser recomendaciones
finales.

Por favor, **dé comentarios específicos sobre las opciones de programa, gobernanza, ejecución y
sede que prefiere** y **explique la justificación** de sus preferencias. Indique también **si
alguna opción no es clara** y **comparta ideas de opciones nuevas o adicionales**.
""",
    "pt": """\
A RESOLVE preparou, em nome das partes interessadas, esta análise de opções para um programa
revitalizado de Comunidades e Mineração Artesanal e em Pequena Escala (CASM, na sigla em inglês),
seu sistema de governança e sua estrutura. É uma ferramenta para estimular o diálogo e avançar
rumo ao consenso; as opções pretendem incentivar a discussão, e não servir como recomendações
finais.

Por favor, **dê comentários específicos sobre as opções de programa, governança, execução e sede
de sua preferência** e **explique a justificativa** de suas preferências. Diga também **se
alguma opção não está clara** e **compartilhe ideias de opções novas ou adicionais**.
""",
}

# The sections' titles and bodies: {section key: {language: (title, body)}}.
SECTION_KEYS = {**KEYS, "Mission, goals and strategies (Section 2)": "mission"}
SECTION_TRANSLATIONS = {
    "mission": {
        "fr": (
            "Mission, buts et stratégies (section 2)",
            "**Projet de mission.** CASM est une organisation multipartite qui vise à réduire la "
            "pauvreté et à promouvoir le développement durable, les droits humains et le recours à des "
            "pratiques sûres et responsables dans les pays où l’exploitation minière artisanale et à "
            "petite échelle est une activité économique importante.\n\n**Caractéristiques clés :** "
            "responsabilité mutuelle ; un réseau mondial de petits exploitants miniers responsables, "
            "reliés aux parties prenantes et aux experts du monde entier ; des méthodes de "
            "collaboration, d’apprentissage et d’appui dans les pays.\n\n**Stratégies :** réseaux ; "
            "élaboration de politiques et bonnes pratiques ; solutions dans les pays ; systèmes de "
            "marché et incitations ; renforcement des capacités ; réponse programmatique ; "
            "coordination entre agences et bailleurs de fonds ; évaluation et suivi.\n\nDonnez votre "
            "avis sur le projet de mission, les buts, les stratégies et les objectifs à cinq ans.",
        ),
        "es": (
            "Misión, metas y estrategias (sección 2)",
            "**Borrador de la misión.** CASM es una organización de múltiples actores que busca reducir "
            "la pobreza y promover el desarrollo sostenible, los derechos humanos y el uso de prácticas "
            "seguras y responsables en los países donde la minería artesanal y en pequeña escala es una "
            "actividad económica importante.\n\n**Atributos clave:** rendición de cuentas mutua; una "
            "red mundial de pequeños mineros responsables, vinculados con actores y expertos de todo el "
            "mundo; métodos de colaboración, aprendizaje y apoyo en cada país.\n\n**Estrategias:** "
            "redes; desarrollo de políticas y buenas prácticas; soluciones en cada país; sistemas de "
            "mercado e incentivos; fortalecimiento de capacidades; respuesta programática; "
            "coordinación entre agencias y donantes; evaluación y monitoreo.\n\nComente el borrador de "
            "la misión, las metas, las estrategias y los objetivos a cinco años.",
        ),
        "pt": (
            "Missão, metas e estratégias (seção 2)",
            "**Rascunho da missão.** O CASM é uma organização com múltiplas partes interessadas que "
            "busca reduzir a pobreza e promover o desenvolvimento sustentável, os direitos humanos e o "
            "uso de práticas seguras e responsáveis nos países onde a mineração artesanal e em pequena "
            "escala é uma atividade econômica importante.\n\n**Atributos principais:** "
            "responsabilidade mútua; uma rede global de pequenos mineradores responsáveis, ligados a "
            "partes interessadas e especialistas do mundo todo; métodos de colaboração, aprendizado e "
            "apoio em cada país.\n\n**Estratégias:** redes; desenvolvimento de políticas e boas "
            "práticas; soluções em cada país; sistemas de mercado e incentivos; capacitação; resposta "
            "programática; coordenação entre agências e doadores; avaliação e monitoramento.\n\n"
            "Comente o rascunho da missão, as metas, as estratégias e os objetivos para cinco anos.",
        ),
    },
    "program": {
        "fr": (
            "Options de programme (sections 3 et 4)",
            "Les options A et B renforcent le programme actuel ; les options C à F sont de nouveaux "
            "programmes. Classez les options que vous soutiendriez, par ordre de préférence.",
        ),
        "es": (
            "Opciones de programa (secciones 3 y 4)",
            "Las opciones A y B fortalecen el programa actual; las opciones C a F son programas nuevos. "
            "Ordene las opciones que apoyaría, de la que más prefiere a la que menos.",
        ),
        "pt": (
            "Opções de programa (seções 3 e 4)",
            "As opções A e B fortalecem o programa atual; as opções C a F são programas novos. "
            "Classifique as opções que você apoiaria, da preferida para a menos preferida.",
        ),
    },
    "governance": {
        "fr": (
            "Options de gouvernance (section 5)",
            "Comment les décisions de CASM doivent-elles être prises, par qui, et qui doit rendre compte "
            "de leur mise en œuvre ?",
        ),
        "es": (
            "Opciones de gobernanza (sección 5)",
            "¿Cómo debe tomar CASM sus decisiones, quién las toma y quién rinde cuentas de su ejecución?",
        ),
        "pt": (
            "Opções de governança (seção 5)",
            "Como o CASM deve tomar suas decisões, quem as toma e quem responde pela execução delas?",
        ),
    },
    "delivery": {
        "fr": (
            "Structure de mise en œuvre (section 6)",
            "Comment le programme doit-il être organisé pour atteindre ses objectifs ?",
        ),
        "es": (
            "Estructura de ejecución (sección 6)",
            "¿Cómo debe organizarse el programa para lograr sus objetivos?",
        ),
        "pt": (
            "Estrutura de execução (seção 6)",
            "Como o programa deve ser organizado para alcançar seus objetivos?",
        ),
    },
    "housing": {
        "fr": (
            "Options d’hébergement (section 7)",
            "Le choix de l’hébergement devrait découler des choix faits sur le programme, la gouvernance "
            "et la structure.",
        ),
        "es": (
            "Opciones de sede institucional (sección 7)",
            "La decisión sobre la sede debería derivarse de lo que se decida sobre el programa, la "
            "gobernanza y la estructura.",
        ),
        "pt": (
            "Opções de sede institucional (seção 7)",
            "A decisão sobre a sede deve decorrer das escolhas sobre o programa, a governança e a estrutura.",
        ),
    },
}


def consultation_translations(title: str) -> dict:
    """The ``translations`` of a demo consultation: {"fr": {"title": …, "introduction": …}, …}."""
    titles = CONSULTATION_TITLE_TRANSLATIONS.get(title, {})
    return {
        language: {"title": titles[language], "introduction": introduction}
        for language, introduction in INTRODUCTION_TRANSLATIONS.items()
        if language in titles
    }


def section_translations(section_title: str) -> dict:
    """The ``translations`` of a demo section: {"fr": {"title": …, "body": …}, …}."""
    texts = SECTION_TRANSLATIONS.get(SECTION_KEYS.get(section_title), {})
    return {language: {"title": title, "body": body} for language, (title, body) in texts.items()}


GOVERNMENTS = "asm-governments"  # governments of ASM countries
DONORS = "other-governments"  # other governments: the aid agencies, CASM's donors
CIVIL = "civil-society"
MINERS = "miners"
COMPANIES = "corporations"

# Relative appeal of each option (in the paper's order) to each sector, following what the paper
# says of them (§3–§8): ministries want in-country services and the Bank's standing; donors want the
# current program delivered, a pooled fund and accountability; civil society wants legitimacy and a
# neutral host; miners want services on the ground and a vote; companies want supply-chain data,
# community programs they need not run, and efficient delivery. Option 3 of governance (the §8
# scenario) leads everywhere.
WEIGHTS = {
    "program": {
        GOVERNMENTS: [2, 3, 8, 3, 2, 2],
        DONORS: [2, 6, 4, 5, 2, 2],
        CIVIL: [1, 3, 6, 2, 5, 3],
        MINERS: [4, 3, 7, 4, 2, 1],
        COMPANIES: [1, 3, 2, 2, 4, 7],
    },
    "governance": {
        GOVERNMENTS: [3, 1, 6, 1],
        DONORS: [4, 1, 5, 1],
        CIVIL: [1, 1, 8, 1],
        MINERS: [2, 1, 7, 1],
        COMPANIES: [2, 3, 5, 1],
    },
    "delivery": {
        GOVERNMENTS: [1, 4, 5],
        DONORS: [1, 5, 4],
        CIVIL: [2, 2, 6],
        MINERS: [4, 2, 4],
        COMPANIES: [1, 6, 3],
    },
    "housing": {
        GOVERNMENTS: [6, 1, 1, 2, 3],
        DONORS: [5, 2, 1, 2, 4],
        CIVIL: [1, 1, 2, 7, 3],
        MINERS: [1, 1, 5, 4, 2],
        COMPANIES: [2, 3, 1, 5, 5],
    },
}

# The rationale a respondent gives for a section explains the option they put first: each text is
# written for one option, and for the sectors that would say it (None: anyone).
RATIONALES = {
    "program": {
        "A": [
            (
                None,
                "Current donor commitments should be met first: a dedicated program director and better "
                "web tools would make the network deliver what it promised.",
            ),
            (
                (MINERS,),
                "The network and the regional meetings are where miners meet governments and buyers; "
                "strengthen them before adding new programs.",
            ),
            (
                (MINERS, CIVIL),
                "Issue teams on mercury and conflict minerals, and a Knowledge Center kept up "
                "to date, would keep members working together between meetings.",
            ),
            (
                (DONORS,),
                "We fund the current work program; it should be delivered in full before CASM expands.",
            ),
        ],
        "B": [
            (
                None,
                "This takes the current program to its full extension and makes expertise a benefit "
                "of membership.",
            ),
            (
                (GOVERNMENTS,),
                "Our ministry needs trusted experts on licensing and mercury quickly; a roster "
                "searchable by region would give us that.",
            ),
            (
                (DONORS,),
                "A roster builds on the network we already fund and lets projects find experts "
                "without new overheads.",
            ),
            (
                (COMPANIES,),
                "Companies near ASM sites could hire vetted experts from the roster for community "
                "and formalization work.",
            ),
            (
                (CIVIL,),
                "Service NGOs like ours could offer our field staff through the roster and be found "
                "by the projects that need them.",
            ),
            ((MINERS,), "Trainers from the roster could teach safer, mercury-free processing at our sites."),
        ],
        "C": [
            (
                None,
                "Stakeholders asked for services on the ground; pilots with a go / no-go review are the "
                "right way to start.",
            ),
            (
                (GOVERNMENTS,),
                "A multi-year roadmap with objectives we agree with donors is exactly what our "
                "ministry would subscribe to.",
            ),
            (
                (GOVERNMENTS,),
                "Formalization happens in the country: CASM should bring its tools to our "
                "licensing and extension services.",
            ),
            (
                (MINERS,),
                "Miners need support on the ground, not only meetings; in-country services bring "
                "CASM to the sites.",
            ),
            (
                (CIVIL,),
                "Mutual accountability only means something when objectives are agreed in the country "
                "and reviewed against results.",
            ),
            ((DONORS,), "Pilots in two countries let donors test the model before a full commitment."),
        ],
        "D": [
            (
                None,
                "A few well-chosen innovation projects, with experts beside them, would show results "
                "quickly.",
            ),
            (
                (DONORS,),
                "Pooling our money in one fund with a clear selection process beats each donor "
                "running small projects of its own.",
            ),
            (
                (MINERS,),
                "Seed money is what our cooperative cannot find; a fund for new ideas would let us "
                "try mercury-free processing.",
            ),
            (
                (CIVIL,),
                "Fair-trade certification began with a small grant; CASM can incubate the next ideas "
                "like it.",
            ),
        ],
        "E": [
            (
                None,
                "Companies and donors already pay for community programs; pooling them through CASM "
                "would avoid duplication.",
            ),
            (
                (COMPANIES,),
                "We want to support the communities near our mines without running the programs "
                "ourselves; CASM could design and run them.",
            ),
            (
                (CIVIL,),
                "Community benefit programs are where ASM households see a difference: health, "
                "schooling, other livelihoods.",
            ),
            (
                (MINERS,),
                "Small operators have the will but not the expertise to run community programs; this "
                "service would fill that gap.",
            ),
        ],
        "F": [
            (
                None,
                "Traceability is where the market is heading, and CASM's multi-sector standing makes it "
                "the right host for a platform.",
            ),
            (
                (COMPANIES,),
                "Refiners and manufacturers need credible data on ASM sources to meet due-diligence "
                "rules; this platform fills a real gap.",
            ),
            (
                (COMPANIES,),
                "A registration platform that keeps commercial data confidential but shows the "
                "chain of custody is what buyers are asking for.",
            ),
            (
                (CIVIL,),
                "Transparency on chain of custody and human rights at ASM sites would let responsible "
                "miners reach ethical markets.",
            ),
            (
                (GOVERNMENTS,),
                "A national registration system would help us regularize miners and collect fair royalties.",
            ),
        ],
    },
    "governance": {
        "1": [
            (
                None,
                "Reform what exists: clarify the roles and give the steering committee oversight of "
                "staff and budget.",
            ),
            (
                (DONORS,),
                "Donors need a clear say over how their funds are spent; a reformed donor and "
                "stakeholder model keeps it.",
            ),
            (
                (MINERS,),
                "The network feels like ours today; keep the shared ownership and clarify roles "
                "rather than build a new board.",
            ),
            ((GOVERNMENTS,), "A looser network keeps governments in it without formal obligations."),
        ],
        "2": [
            (
                None,
                "A founding board with seats for each sector is efficient; efficiency matters more than "
                "elections at this stage.",
            ),
            (
                (COMPANIES,),
                "A small board that chooses its own successors would decide quickly and keep a "
                "long-term view.",
            ),
        ],
        "3": [
            (
                None,
                "Legitimacy comes from the chambers electing their representatives; it balances "
                "authority and buy-in.",
            ),
            (
                (MINERS,),
                "With a chamber of their own, small-scale miners get a real vote, not only an "
                "invitation to meetings.",
            ),
            (
                (CIVIL,),
                "Civil society will only trust a board it helps elect; EITI and FSC show the model works.",
            ),
            (
                (GOVERNMENTS,),
                "Governments of ASM countries need seats of their own on the board, not only consultation.",
            ),
            (
                (DONORS,),
                "An elected board with a donor committee gives both legitimacy and accountability "
                "for the funds.",
            ),
            (
                (COMPANIES,),
                "Chambers with clear ground rules balance efficiency and legitimacy; companies "
                "can work with that.",
            ),
        ],
        "4": [
            (
                None,
                "CASM is small: an experienced host could run its governance and program more efficiently "
                "than a new structure.",
            ),
            (
                (COMPANIES,),
                "Contracting an established organization would deliver fastest, with the least overhead.",
            ),
            (
                (DONORS,),
                "Contracting out avoids building new governance we may not be able to fund for long.",
            ),
        ],
    },
    "delivery": {
        "1": [
            (None, "With little money, working groups of committed members are the realistic way to start."),
            ((MINERS,), "Working groups keep members involved; staff should support them, not replace them."),
            ((CIVIL,), "Volunteer working groups build buy-in across sectors at this early stage."),
        ],
        "2": [
            (
                None,
                "Strong staff under clear oversight is efficient, as long as the board holds them to "
                "account.",
            ),
            (
                (COMPANIES,),
                "Dedicated staff accountable to the board will deliver; volunteers cannot carry a "
                "growing program.",
            ),
            (
                (DONORS,),
                "Donors need someone accountable for delivery: paid staff overseen by a multi-sector team.",
            ),
            (
                (GOVERNMENTS,),
                "Our ministries need a reliable counterpart; a staffed program can commit to timelines.",
            ),
        ],
        "3": [
            (None, "A clear, central and accountable coordinator is what is missing today."),
            (
                (CIVIL,),
                "A coordinator can draw on partners, seconded staff and volunteers where the capacity "
                "is, instead of growing a bureaucracy.",
            ),
            (
                (GOVERNMENTS,),
                "Coordination from the center, with partners delivering in our countries, fits "
                "how in-country work happens.",
            ),
            (
                (MINERS,),
                "A coordinator who knows the regions can bring miners' associations in as delivery partners.",
            ),
            ((DONORS,), "A small coordinating staff keeps costs down and still makes someone accountable."),
        ],
    },
    "housing": {
        "1": [
            (
                None,
                "The World Bank brings standing and mining expertise; its limits can be managed with a "
                "strong advisory group.",
            ),
            (
                (GOVERNMENTS,),
                "At the World Bank, CASM keeps the legitimacy and the access to ministries that "
                "our governments trust.",
            ),
            (
                (DONORS,),
                "The Bank can pool donor funds and draw on its mining experts; the status quo is the "
                "safest choice.",
            ),
        ],
        "2": [
            (
                None,
                "Housing with another multi-party initiative would bring capacity and program synergies "
                "quickly.",
            ),
            ((COMPANIES,), "Joining an initiative such as EITI would bring synergies and save overheads."),
            (
                (DONORS,),
                "Sharing a secretariat with a related multi-party initiative is efficient and builds "
                "on governance that already works.",
            ),
        ],
        "3": [
            (
                None,
                "An organization already active on these issues would make CASM a priority, not a side "
                "project.",
            ),
            (
                (MINERS,),
                "A member association of miners would treat CASM as its main program and keep it "
                "close to the sites.",
            ),
            ((CIVIL,), "An NGO that works on ASM every day has the knowledge and commitment CASM needs."),
        ],
        "4": [
            (None, "Independence matters: a neutral host avoids the perception of capture by one interest."),
            (
                (CIVIL,),
                "A neutral secretariat keeps any one sector from steering CASM; that is what makes it "
                "credible to communities.",
            ),
            ((MINERS,), "Miners need a host that belongs to no government and no company."),
            (
                (COMPANIES,),
                "A neutral secretariat with strong process skills is a host companies and NGOs "
                "can both trust.",
            ),
        ],
        "5": [
            (
                None,
                "A secretariat for oversight, with technical programs in the organizations that have "
                "the capacity, uses each host's strength.",
            ),
            (
                (DONORS,),
                "An external secretariat, with the World Bank keeping a strong program role, is what "
                "emerged at the June meeting.",
            ),
            (
                (COMPANIES,),
                "Split the roles: an efficient secretariat for process, technical partners for "
                "programs such as supply chains.",
            ),
            (
                (GOVERNMENTS,),
                "Keep the Bank's technical role for our countries while an external secretariat "
                "runs the network.",
            ),
        ],
    },
}

# Comments on the draft mission, goals and strategies (Section 2), by sector (None: anyone).
COMMENTS = [
    (None, "We support the draft mission as written."),
    ((MINERS, CIVIL), "The mission should name mercury reduction explicitly."),
    ((CIVIL,), "Add a goal on women in artisanal mining."),
    ((CIVIL, MINERS), "Mutual accountability should include the donors too."),
    ((DONORS,), "The five-year objectives need numbers we can be held to."),
    ((GOVERNMENTS,), "Formalization should be a goal in its own right, with the ministries as partners."),
    ((COMPANIES,), "Name responsible supply chains among the goals: buyers are asking for them."),
    ((MINERS,), "Count the miners CASM reaches, not only its members, in the five-year objectives."),
]
GENERAL_COMMENTS = [
    (None, "Thank you for a clear paper; we look forward to the business plan."),
    (None, "Please publish the analysis of the feedback before the steering committee decides."),
    ((MINERS, CIVIL), "Translations into French, Spanish and Portuguese would let more miners respond."),
    ((DONORS,), "Resources for the interim steering committee should be agreed before it starts its work."),
    ((GOVERNMENTS,), "Our ministry is ready to host one of the in-country pilots."),
    ((COMPANIES,), "We would join a working group on the supply-chain platform."),
]
# What a respondent found unclear, by section and option code: a question about that option.
UNCLEAR = {
    ("program", "C"): "Who pays for a country's subscription, and what does it include?",
    ("program", "D"): "How would pooled funds be governed, and who selects the projects?",
    ("program", "E"): "Would companies fund programs at particular sites, or pay into a pool?",
    ("program", "F"): "Which minerals would the platform cover first, and who pays for registration?",
    ("governance", "2"): "How would new sectors get onto a self-perpetuating board?",
    ("governance", "3"): "Would there be three chambers or four, and would miners vote or only ratify?",
    (
        "governance",
        "4",
    ): "Which organizations could take on CASM's governance, and who would oversee the contract?",
    ("delivery", "3"): "What is the difference between staff coordination and staff delivery in practice?",
    ("housing", "2"): "Which initiatives besides EITI are considered, and would CASM keep its own budget?",
    ("housing", "5"): "Which organization would hold the secretariat function in the hybrid model?",
}
# New options respondents proposed: (section key or None for the whole paper, sectors, wordings,
# description). Several wordings of one idea, as people really write them: the analysis groups them.
PROPOSALS = [
    (
        "program",
        (GOVERNMENTS, CIVIL, MINERS),
        ["Regional hubs", "Regional hubs", "Regional hub", "regional hubs.", "Regional CASM hubs"],
        "Regional CASM hubs in Africa, Latin America and Asia that host the in-country work.",
    ),
    (
        "program",
        (CIVIL, MINERS),
        ["Mercury-free gold fast track", "Mercury free gold fast-track"],
        "A joint program with the UNEP partnership on artisanal and small-scale gold mining.",
    ),
    (
        "program",
        (CIVIL,),
        ["Women in ASM program"],
        "Support for women miners and processors: finance, safety and leadership.",
    ),
    (
        "program",
        (COMPANIES,),
        ["Buyer-funded traceability pilots"],
        "Refiners and manufacturers co-fund pilots of the platform at a few sites before it is built out.",
    ),
    (
        "governance",
        (MINERS,),
        ["Miners' chamber with a veto on standards"],
        "Standards that affect miners need the consent of the ASM chamber.",
    ),
    (
        "governance",
        (DONORS,),
        ["Donor committee", "Donors' committee"],
        "A donor committee that reviews the budget and reports to the board.",
    ),
    (
        None,
        (MINERS, CIVIL),
        ["Meetings on the options in the regions"],
        "Discuss the options with miners who cannot answer in writing, at regional meetings.",
    ),
]
PROPOSAL_RATE = 0.07


def _for_sector(entries, sector_code: str) -> list:
    """The texts of ``entries`` (sectors, text) that someone of ``sector_code`` would write."""
    return [text for sectors, text in entries if sectors is None or sector_code in sectors]


def _consultation(slug: str, title: str, opens_at, closes_at) -> Consultation:
    consultation, created = Consultation.objects.get_or_create(
        slug=slug,
        defaults={
            "title": title,
            "introduction": INTRODUCTION,
            "translations": consultation_translations(title),
            "audience": Consultation.Audience.ALL_ACTIVE,
            "opens_at": opens_at,
            "closes_at": closes_at,
            "time_zone": ZONE,
            "is_published": True,
        },
    )
    if created:
        for order, (section_title, mode, body, options) in enumerate(SECTIONS):
            section = ConsultationSection.objects.create(
                consultation=consultation,
                order=order,
                title=section_title,
                body=body,
                mode=mode,
                translations=section_translations(section_title),
            )
            ConsultationOption.objects.bulk_create(
                ConsultationOption(
                    section=section,
                    code=code,
                    title=t,
                    description=d,
                    order=i,
                    translations=option_translations(section_title, code),
                )
                for i, (code, t, d) in enumerate(options)
            )
    else:
        # A demo loaded before its texts were translated gets them; translations staff wrote stay.
        if not consultation.translations:
            consultation.translations = consultation_translations(consultation.title)
            consultation.save(update_fields=["translations", "updated_at"])
        for section in consultation.sections.all():
            if not section.translations:
                section.translations = section_translations(section.title)
                section.save(update_fields=["translations", "updated_at"])
    return consultation


def _ranked(options, weights, rng, how_many):
    """``how_many`` distinct options drawn by weight, in order of preference."""
    pool = list(zip(options, weights, strict=True))
    chosen = []
    for _ in range(min(how_many, len(pool))):
        pick = rng.choices(range(len(pool)), weights=[w for _o, w in pool])[0]
        chosen.append(pool.pop(pick)[0])
    return chosen


def _responses(consultation: Consultation, members: list, rng: random.Random) -> None:
    """Each member's response: options ranked by their sector's weights, the rationale of their first
    choice, questions about options they found unclear, sometimes a new option (once: never twice)."""
    if consultation.responses.exists():
        return
    sections = list(consultation.sections.prefetch_related("options").order_by("order"))
    by_key = {KEYS.get(section.title): section for section in sections}
    submitted_at = consultation.closes_at - datetime.timedelta(days=3)
    for member in members:
        sector = member.sector.code
        response = Response.objects.create(
            consultation=consultation,
            member=member,
            status=Response.Status.SUBMITTED,
            submitted_at=submitted_at - datetime.timedelta(hours=rng.randint(0, 500)),
            is_public=rng.random() < 0.25,
            general_comments=rng.choice(_for_sector(GENERAL_COMMENTS, sector)) if rng.random() < 0.3 else "",
            chamber=member.sector.chamber,
            sector=member.sector,
            country=member.country,
            org_type=member.organisation.org_type if member.organisation_id else "",
        )
        for section in sections:
            options = list(section.options.all())
            if section.mode == ConsultationSection.Mode.COMMENT:
                if rng.random() < 0.5:
                    SectionAnswer.objects.create(
                        response=response,
                        section=section,
                        rationale=rng.choice(_for_sector(COMMENTS, sector)),
                    )
                continue
            key = KEYS[section.title]
            ranked = _ranked(options, WEIGHTS[key][sector], rng, rng.randint(1, 3))
            rationale = rng.choice(_for_sector(RATIONALES[key][ranked[0].code], sector))
            SectionAnswer.objects.create(response=response, section=section, rationale=rationale)
            OptionPreference.objects.bulk_create(
                OptionPreference(response=response, option=option, section=section, rank=rank)
                for rank, option in enumerate(ranked, start=1)
            )
            for option in options:
                question = UNCLEAR.get((key, option.code))
                if question and rng.random() < 0.04:
                    UnclearFlag.objects.create(response=response, option=option, text=question)
        if rng.random() < PROPOSAL_RATE:
            ideas = [idea for idea in PROPOSALS if sector in idea[1]]
            if ideas:
                section_key, _sectors, wordings, description = rng.choice(ideas)
                ProposedOption.objects.create(
                    response=response,
                    section=by_key[section_key] if section_key else None,
                    title=rng.choice(wordings),
                    description=description,
                )


def demo_consultations(members: list, *, seed: int = 2010) -> dict:
    """The closed 2010 consultation with responses from ``members``, and an open practice copy."""
    rng = random.Random(seed)
    zone = zoneinfo.ZoneInfo(ZONE)
    closed = _consultation(
        "casm-options-paper-2010",
        "CASM options paper: program, governance, delivery and housing (2010)",
        datetime.datetime(2010, 11, 15, 9, 0, tzinfo=zone),
        datetime.datetime(2010, 12, 10, 23, 59, tzinfo=zone),
    )
    _responses(closed, members, rng)
    now = timezone.now()
    practice = _consultation(
        "casm-options-paper-open",
        "CASM options paper: open copy to try responding",
        now - datetime.timedelta(days=1),
        now + datetime.timedelta(days=60),
    )
    if practice.closes_at < now + datetime.timedelta(days=14):
        # Reloading the demo later keeps the practice copy open.
        practice.closes_at = now + datetime.timedelta(days=60)
        practice.save(update_fields=["closes_at", "updated_at"])
    return {"closed": closed, "open": practice}
