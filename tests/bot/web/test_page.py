from bot.catalogue.bundle import Catalogues
from bot.web.page import render_page


def test_page_is_rendered_in_the_language_with_direction(catalogues: Catalogues) -> None:
    html = render_page(catalogues, "ar", "http://localhost:5005")
    assert '<html lang="ar" dir="rtl">' in html
    assert catalogues.locales["ar"].page["heading"] in html
    for language in catalogues.languages.languages:
        assert f'<option value="{language.code}" lang="{language.code}"' in html


def test_config_json_cannot_close_its_script_tag(catalogues: Catalogues) -> None:
    html = render_page(catalogues, "en", "http://x/</script><script>alert(1)</script>")
    assert "</script><script>alert(1)" not in html


def test_earlier_messages_have_their_place_outside_the_live_log(catalogues: Catalogues) -> None:
    html = render_page(catalogues, "sw", "http://localhost:5005")
    conversation = html.index('id="conversation"')
    earlier, log = html.index('id="earlier"'), html.index('role="log"')
    assert conversation < earlier < log  # one scrolling conversation, the restored part not announced
    assert html[earlier : html.index("</section>", earlier)].count("aria-live") == 0
    assert catalogues.locales["sw"].page["earlier_label"] in html
    for code in catalogues.languages.codes:  # the status after a reload, in every language
        assert catalogues.locales[code].page["restored"]
