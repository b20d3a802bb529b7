from bot.catalogue.bundle import Catalogues
from bot.web.page import pick_language, render_page


def test_page_language_from_query_then_browser_then_default(catalogues: Catalogues) -> None:
    assert pick_language(catalogues, "sw", "fr-FR") == "sw"
    assert pick_language(catalogues, None, "de-DE,pt-BR;q=0.8,en;q=0.5") == "pt"
    assert pick_language(catalogues, None, "en;q=0.3,fr;q=0.9") == "fr"
    assert pick_language(catalogues, "xx", "de") == "en"
    assert pick_language(catalogues, None, "q=;;,") == "en"


def test_page_is_rendered_in_the_language_with_direction(catalogues: Catalogues) -> None:
    html = render_page(catalogues, "ar", "http://localhost:5005")
    assert '<html lang="ar" dir="rtl">' in html
    assert catalogues.locales["ar"].page["heading"] in html
    for language in catalogues.languages.languages:
        assert f'<option value="{language.code}" lang="{language.code}"' in html


def test_config_json_cannot_close_its_script_tag(catalogues: Catalogues) -> None:
    html = render_page(catalogues, "en", "http://x/</script><script>alert(1)</script>")
    assert "</script><script>alert(1)" not in html
