"""{% once %}: the page frame rendered once per process for each language and kind of viewer."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import override_settings
from django.urls import reverse

from casm.templatetags.casm_tags import clear_once_fragments


@pytest.fixture(autouse=True)
def _no_fragments():
    clear_once_fragments()
    yield
    clear_once_fragments()


def test_fragment_is_rendered_once_for_each_value_it_varies_on():
    template = Template("{% load casm_tags %}{% once kind %}{{ kind }}:{{ other }}{% endonce %}")
    assert template.render(Context({"kind": "a", "other": 1})) == "a:1"
    assert template.render(Context({"kind": "a", "other": 2})) == "a:1"  # same value: kept
    assert template.render(Context({"kind": "b", "other": 3})) == "b:3"  # another value: its own


def test_fragments_are_forgotten_when_a_setting_changes():
    template = Template("{% load casm_tags %}{% once %}{{ settings_value }}{% endonce %}")
    assert template.render(Context({"settings_value": "x"})) == "x"
    with override_settings(SITE_NAME="Another"):
        assert template.render(Context({"settings_value": "y"})) == "y"


def test_a_block_inside_once_is_refused():
    with pytest.raises(TemplateSyntaxError, match="may not hold a"):
        Template("{% load casm_tags %}{% once %}{% block x %}{% endblock %}{% endonce %}")


@pytest.mark.django_db
def test_each_kind_of_viewer_gets_its_own_menu(role_clients):
    """Pages for the four kinds of viewer, in turn, each with its own menu and CSRF token."""
    home = reverse("network:home")
    pages = {role: client.get(home).content.decode() for role, client in role_clients.items()}
    secretariat = f'href="{reverse("network:staff_home")}"'
    log_in = f'href="{reverse("account_login")}"'
    assert secretariat in pages["staff"] and log_in not in pages["staff"]
    assert secretariat not in pages["member"] and f'href="{reverse("network:me")}"' in pages["member"]
    assert log_in in pages["visitor"] and "Log out" not in pages["visitor"]
    assert "Log out" in pages["applicant"] and secretariat not in pages["applicant"]
    # Each logged-in page carries its own token in its log-out form.
    tokens = {
        role: page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        for role, page in pages.items()
        if role != "visitor"
    }
    assert len(set(tokens.values())) == len(tokens)


@pytest.mark.django_db
def test_menu_follows_the_language_of_each_visitor(client, django_user_model):
    from django.test import Client

    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    french = client.get(reverse("network:home")).content.decode()
    english = Client().get(reverse("network:home")).content.decode()
    assert "Rejoindre le réseau" in french and '<html lang="fr">' in french
    assert "Join the network" in english and "Rejoindre le réseau" not in english
    # The page's own address is the language form's "next", never another page's.
    consultations = Client().get(reverse("consultations:consultation_list")).content.decode()
    assert f'name="next" type="hidden" value="{reverse("consultations:consultation_list")}"' in consultations


# ---------------------------------------------------------------- plain text as paragraphs


def test_paragraphs_joins_soft_wrapped_lines_and_keeps_blank_line_paragraphs():
    from casm.templatetags.casm_tags import paragraphs

    text = "I join the network\r\nto work with miners.\n\nI take part\nin good faith:\n- share\n- learn"

    assert str(paragraphs(text)) == (
        "<p>I join the network to work with miners.</p>"
        "<p>I take part in good faith:<br>- share<br>- learn</p>"
    )


def test_paragraphs_escapes_the_text():
    from casm.templatetags.casm_tags import paragraphs

    assert str(paragraphs("<script>x</script>\nend")) == "<p>&lt;script&gt;x&lt;/script&gt; end</p>"
