"""Fills the portal's core navigation strings into locale/*/django.po (run before compilemessages).

Only single-line msgids listed here are touched; translators own the rest of each file.
"""

import re
import sys
from pathlib import Path

CORE = {
    "fr": {
        "Home": "Accueil",
        "Bodies": "Instances",
        "My membership": "Mon adhésion",
        "Members": "Membres",
        "Secretariat": "Secrétariat",
        "Account": "Compte",
        "Log out": "Se déconnecter",
        "Log in": "Se connecter",
        "Join the network": "Rejoindre le réseau",
        "Language": "Langue",
        "Change": "Changer",
        "Skip to content": "Aller au contenu",
        "Main": "Principal",
        "Communities and Artisanal and Small-scale Mining": (
            "Communautés et exploitation minière artisanale et à petite échelle"
        ),
        "Chambers and sectors": "Chambres et secteurs",
        "Philosophy": "Philosophie",
        "Goals": "Objectifs",
        "Strategies": "Stratégies",
        "Sectors": "Secteurs",
        "Country": "Pays",
        "Active members": "Membres actifs",
        "Mutual accountability": "Responsabilité mutuelle",
        "Methods": "Méthodes",
        "Governing and advisory bodies": "Instances de gouvernance et consultatives",
        "Seats": "Sièges",
        "English": "Anglais",
        "French": "Français",
        "Spanish": "Espagnol",
        "Portuguese": "Portugais",
    },
    "es": {
        "Home": "Inicio",
        "Bodies": "Órganos",
        "My membership": "Mi membresía",
        "Members": "Miembros",
        "Secretariat": "Secretaría",
        "Account": "Cuenta",
        "Log out": "Cerrar sesión",
        "Log in": "Iniciar sesión",
        "Join the network": "Unirse a la red",
        "Language": "Idioma",
        "Change": "Cambiar",
        "Skip to content": "Ir al contenido",
        "Chambers and sectors": "Cámaras y sectores",
        "Philosophy": "Filosofía",
        "Goals": "Metas",
        "Strategies": "Estrategias",
        "Sectors": "Sectores",
        "Country": "País",
        "Active members": "Miembros activos",
        "English": "Inglés",
        "French": "Francés",
        "Spanish": "Español",
        "Portuguese": "Portugués",
    },
    "pt": {
        "Home": "Início",
        "Bodies": "Órgãos",
        "My membership": "A minha adesão",
        "Members": "Membros",
        "Secretariat": "Secretariado",
        "Account": "Conta",
        "Log out": "Sair",
        "Log in": "Entrar",
        "Join the network": "Aderir à rede",
        "Language": "Idioma",
        "Change": "Mudar",
        "Skip to content": "Ir para o conteúdo",
        "Chambers and sectors": "Câmaras e setores",
        "Philosophy": "Filosofia",
        "Goals": "Metas",
        "Strategies": "Estratégias",
        "Sectors": "Setores",
        "Country": "País",
        "Active members": "Membros ativos",
        "English": "Inglês",
        "French": "Francês",
        "Spanish": "Espanhol",
        "Portuguese": "Português",
    },
}


def fill(po: Path, table: dict) -> int:
    text = po.read_text(encoding="utf-8")
    count = 0
    for msgid, msgstr in table.items():
        pattern = re.compile(r'(msgid "' + re.escape(msgid) + r'"\nmsgstr )""')
        text, n = pattern.subn(lambda m, s=msgstr: m.group(1) + '"' + s + '"', text)
        count += n
    po.write_text(text, encoding="utf-8")
    return count


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent)
    for lang, table in CORE.items():
        po = root / lang / "LC_MESSAGES" / "django.po"
        if po.exists():
            print(lang, fill(po, table), "strings filled")
