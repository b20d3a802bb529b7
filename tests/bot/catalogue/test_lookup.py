from bot.catalogue.bundle import Catalogues


def test_services_are_found_by_everyday_names(catalogues: Catalogues) -> None:
    services = catalogues.services
    assert services.find_in_text("what do I need to renew my passport?", "en") == "passport"
    assert services.find_in_text("combien coûte une carte d'identité ?", "fr") == "national_id"
    assert services.find_in_text("combien coute une carte d identite", "fr") == "national_id"
    assert services.find_in_text("nitapataje cheti cha kuzaliwa?", "sw") == "birth_certificate"
    assert services.find_in_text("how is the weather today", "en") is None


def test_regions_are_found_by_name_or_main_town(catalogues: Catalogues) -> None:
    regions = catalogues.regions
    assert regions.find_in_text("alerts in Bandari please", "en") == "coast"
    assert regions.find_in_text("the Lakes Region", "en") == "lakes"


def test_at_least_twelve_services_in_every_language(catalogues: Catalogues) -> None:
    assert len(catalogues.services.ids) >= 12
    for service in catalogues.services.services.values():
        assert set(service.texts) == set(catalogues.languages.codes)


def test_every_language_has_its_locale_and_direction(catalogues: Catalogues) -> None:
    assert catalogues.languages.codes == ("en", "fr", "es", "ar", "pt", "sw")
    assert catalogues.languages.get("ar").direction == "rtl"
