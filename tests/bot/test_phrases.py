"""Matching what citizens type with catalogue names."""

from __future__ import annotations

from bot.phrases import PhraseIndex, arabic_base, asks, base_form, cues_found, find_phrases, fold


def test_fold_ignores_case_accents_punctuation_and_arabic_letter_forms() -> None:
    assert fold("Carte d'Identité") == fold("carte d identite") == "carte d identite"
    assert fold("  Région   de la CÔTE!! ") == "region de la cote"
    assert fold("l’état") == "l etat"  # the typographic apostrophe too
    assert fold("أحمد") == fold("احمد")  # hamza on alef
    assert fold("مدرسة") == fold("مدرسه")  # ta marbuta
    assert fold("مَدْرَسَة") == fold("مدرسه")  # diacritics


def test_find_phrases_takes_the_longest_first_and_never_overlaps() -> None:
    phrases = {"birth certificate": "birth", "certificate": "any", "birth": "baby"}
    text = "i need a birth certificate"
    assert find_phrases(text, phrases) == [(text.index("birth"), len(text), "birth")]  # spans in ``text``
    text = "birth certificate and a certificate"
    assert [found for _, _, found in find_phrases(text, phrases)] == ["birth", "any"]


def test_find_phrases_matches_whole_words_only() -> None:
    assert find_phrases("identity", {"id": "national_id"}) == []
    assert find_phrases("my id card", {"id": "national_id", "": "empty"}) == [(3, 5, "national_id")]


def test_the_index_tries_the_citizens_language_first_then_the_others() -> None:
    index = PhraseIndex()
    index.add("en", "Coast", "coast")
    index.add("fr", "côte", "coast")
    index.add("fr", "coast", "french-coast")  # the same word means something else in French
    assert index.find("the COAST", "en") == "coast"
    assert index.find("the coast", "fr") == "french-coast"
    assert index.find("la Côte", "en") == "coast"  # not in English: French is tried next
    assert index.find("nothing here", "en") is None


def test_arabic_words_meet_without_their_article_prepositions_or_plural() -> None:
    for typed in ("الفيضانات", "بالفيضانات", "للفيضانات", "والفيضانات", "فيضانات", "فيضان"):
        assert arabic_base(fold(typed)) == "فيضان", typed
    assert base_form("العاصمة") == base_form("بالعاصمة") == base_form("عاصمة")
    assert base_form("Floods in the CAPITAL") == "floods in the capital"  # other scripts unchanged
    assert arabic_base("بانداري") == "بانداري"  # a word that merely starts like a preposition


def test_the_index_finds_arabic_names_with_an_article_or_a_plural() -> None:
    index = PhraseIndex()
    index.add("ar", "فيضانات", "weather")
    index.add("ar", "انقطاع الكهرباء", "infrastructure")
    assert index.find("أريد تلقي تنبيهات الفيضانات في بانداري", "ar") == "weather"
    assert index.find("نبهني بالفيضان", "ar") == "weather"
    assert index.find("عند انقطاع الكهرباء", "ar") == "infrastructure"


def test_cues_are_word_starts_or_whole_phrases_in_any_script() -> None:
    cues = {fold(c) for c in ("escuel", "maestr", "cash transfer", "مدرس")}
    assert cues_found("La Escuela no tiene maestros", cues) == {"escuel", "maestr"}
    assert cues_found("no cash transfers here", cues) == set()  # a phrase is whole words
    assert cues_found("المدرسة مغلقة", cues) == {"مدرس"}
    assert cues_found("the teacher", cues) == set()


def test_a_base_form_two_entries_share_is_only_found_as_written() -> None:
    index = PhraseIndex()
    index.add("ar", "مساعدة", "help")
    index.add("ar", "مساعدات", "relief_aid")
    assert index.find("أحتاج مساعدة", "ar") == "help"
    assert index.find("التسجيل مساعدات", "ar") == "relief_aid"
    assert index.find("المساعدات", "ar") is None  # "help" or "aid": not guessed


def test_a_message_asks_with_a_question_mark_or_a_question_opening() -> None:
    openings = frozenset({"how", "est ce", "هل"})
    assert asks("the clinic has no medicine?", openings)
    assert asks("¿hay medicinas", openings)
    assert asks("Est-ce que je peux sortir", openings)  # folded: "est ce"
    assert asks("هل يمكنني الخروج", openings)
    assert not asks("the clinic has no medicine", openings)
    assert not asks("however the road is broken", openings)  # a word that starts like one is not it
