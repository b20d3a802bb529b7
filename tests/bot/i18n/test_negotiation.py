from bot.catalogue.bundle import Catalogues
from bot.i18n.negotiation import pick_language


def test_page_language_from_query_then_browser_then_default(catalogues: Catalogues) -> None:
    assert pick_language(catalogues.languages, "sw", "fr-FR") == "sw"
    assert pick_language(catalogues.languages, None, "de-DE,pt-BR;q=0.8,en;q=0.5") == "pt"
    assert pick_language(catalogues.languages, None, "en;q=0.3,fr;q=0.9") == "fr"
    assert pick_language(catalogues.languages, "xx", "de") == "en"
    assert pick_language(catalogues.languages, None, "q=;;,") == "en"
