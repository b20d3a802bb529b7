from bot.catalogue.bundle import Catalogues
from bot.nlu_lookups import crisis_questions, render, surfaces, target_path, written_examples
from bot.settings import PROJECT_ROOT


def test_committed_lookup_file_matches_the_catalogues(catalogues: Catalogues) -> None:
    committed = target_path(PROJECT_ROOT).read_text(encoding="utf-8")
    assert committed == render(catalogues, written_examples(PROJECT_ROOT)), "run: python -m bot.nlu_lookups"


def test_knowledge_base_questions_teach_ask_crisis_unless_written_for_another_intent(
    catalogues: Catalogues,
) -> None:
    written = written_examples(PROJECT_ROOT)
    assert "i need help" in written  # a hand-written example of the help intent
    generated = render(catalogues, written).split("- intent: ask_crisis\n  examples: |\n")[1]
    taught = {line.strip().removeprefix("- ") for line in generated.splitlines()}
    assert "i need help" not in taught
    assert len(taught) > 6 * len(catalogues.crisis.topic_ids)  # every language's first variants
    assert taught <= set(crisis_questions(catalogues))


def test_every_service_and_region_has_lookup_forms_in_every_language(catalogues: Catalogues) -> None:
    tables = surfaces(catalogues)
    assert set(tables["service"].values()) == set(catalogues.services.ids)
    assert set(tables["region"].values()) == set(catalogues.regions.ids)
    assert set(tables["language"].values()) == set(catalogues.languages.codes)
    assert tables["language"]["kiswahili"] == "sw"


def test_training_data_synonyms_never_remap_a_catalogue_id(catalogues: Catalogues) -> None:
    """Rasa's synonym mapper runs after the catalogue mapper: it must leave catalogue ids alone."""
    from rasa.shared.nlu.training_data.loading import load_data

    synonyms = load_data(str(PROJECT_ROOT / "data" / "nlu")).entity_synonyms
    ids = {value for table in surfaces(catalogues).values() for value in table.values()}
    assert {i: synonyms[i] for i in ids if synonyms.get(i, i) != i} == {}
