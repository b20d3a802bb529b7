"""What the console and the dashboard share: the top of the page, texts escaped, settings as JSON."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from bot.catalogue.bundle import Catalogues
from bot.web import staff
from bot.web.staff import SIGN_IN_TEXTS, render_staff_page

PROBE = """<html lang="$lang" dir="$dir"><body>$staff_top<h2>$title</h2><div>$raw</div>
<script type="application/json" id="config">$config_json</script></body></html>"""


@pytest.fixture()
def probe_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A page template of our own next to the real shared top."""
    shutil.copy(staff.TEMPLATES / "staff_top.html", tmp_path / "staff_top.html")
    (tmp_path / "probe.html").write_text(PROBE, encoding="utf-8")
    monkeypatch.setattr(staff, "TEMPLATES", tmp_path)
    return "probe"


def test_texts_are_escaped_values_are_not_and_settings_cannot_close_their_tag(
    catalogues: Catalogues, probe_page: str
) -> None:
    locale = catalogues.locales["ar"]
    texts = {key: locale.console[key] for key in SIGN_IN_TEXTS}
    texts.update(heading="<b>Console</b> & co", intro="intro", title="A < B")
    config = {"language": "ar", "note": "</script><script>alert(1)</script>"}
    page = render_staff_page(catalogues, "ar", probe_page, texts, {"raw": "<em>ready</em>"}, config)
    assert page.startswith('<html lang="ar" dir="rtl">')
    assert "&lt;b&gt;Console&lt;/b&gt; &amp; co" in page and "<h2>A &lt; B</h2>" in page
    assert "<div><em>ready</em></div>" in page
    assert 'action="/probe"' in page  # the language choice comes back to the same page
    assert '<option value="ar" lang="ar" dir="rtl" selected>' in page
    assert "</script><script>alert(1)" not in page
    block = re.search(r'<script type="application/json" id="config">(.*?)</script>', page, re.DOTALL)
    assert block is not None and json.loads(block.group(1)) == config


def test_a_text_the_page_needs_and_was_not_given_is_an_error(catalogues: Catalogues, probe_page: str) -> None:
    texts = {key: catalogues.locales["en"].console[key] for key in SIGN_IN_TEXTS}
    with pytest.raises(KeyError, match="heading"):
        render_staff_page(catalogues, "en", probe_page, texts, {"raw": ""}, {})


def test_every_locale_has_the_sign_in_texts(catalogues: Catalogues) -> None:
    for code in catalogues.languages.codes:
        assert [key for key in SIGN_IN_TEXTS if key not in catalogues.locales[code].console] == [], code
