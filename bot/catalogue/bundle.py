"""Everything the assistant reads from ``config/``, loaded together and reloaded when edited."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bot.catalogue.alert_topics import AlertTopics, load_alert_topics
from bot.catalogue.canned_answers import CannedAnswers, load_canned_answers
from bot.catalogue.concern_routing import RoutingTable, load_routing
from bot.catalogue.crisis import CrisisGuide, load_crisis_guide
from bot.catalogue.ministries import MinistryCatalogue, load_ministries
from bot.catalogue.regions import RegionCatalogue, load_regions
from bot.catalogue.services import ServiceCatalogue, load_services
from bot.catalogue.shelters import ShelterCatalogue, load_shelters
from bot.catalogue.stopwords import StopWords, load_stopwords
from bot.i18n.languages import LanguageRegistry, load_languages
from bot.i18n.messages import LocaleCatalogue, load_locales


@dataclass(frozen=True)
class Catalogues:
    """Languages, locales and catalogues as one consistent snapshot."""

    languages: LanguageRegistry
    locales: LocaleCatalogue
    services: ServiceCatalogue
    crisis: CrisisGuide
    regions: RegionCatalogue
    ministries: MinistryCatalogue
    alert_topics: AlertTopics
    concern_routing: RoutingTable
    stopwords: StopWords
    shelters: ShelterCatalogue
    canned_answers: CannedAnswers


def load_catalogues(config_dir: Path) -> Catalogues:
    """Read and check every data file under ``config_dir``."""
    languages = load_languages(config_dir)
    codes = languages.codes
    ministries = load_ministries(config_dir)
    regions = load_regions(config_dir, codes)
    return Catalogues(
        languages=languages,
        locales=load_locales(config_dir, languages),
        services=load_services(config_dir, codes),
        crisis=load_crisis_guide(config_dir, codes),
        regions=regions,
        ministries=ministries,
        alert_topics=load_alert_topics(config_dir),
        concern_routing=load_routing(config_dir, set(ministries.ministries), set(regions.regions)),
        stopwords=load_stopwords(config_dir, codes),
        shelters=load_shelters(config_dir, codes, set(regions.regions)),
        canned_answers=load_canned_answers(config_dir, codes),
    )


def _latest_change(config_dir: Path) -> float:
    return max((p.stat().st_mtime for p in config_dir.rglob("*.yml")), default=0.0)


class LiveCatalogues:
    """Catalogues that follow edits of ``config/`` without a restart.

    At most every ``check_every`` seconds the files' modification times are compared; on a change the
    whole snapshot is reloaded. A broken edit keeps the last good snapshot (and the error is raised to
    the caller of :meth:`reload` only), so citizens never see a half-edited catalogue.
    """

    def __init__(self, config_dir: Path, check_every: float = 2.0) -> None:
        self.config_dir = config_dir
        self.check_every = check_every
        self._lock = threading.Lock()
        self._snapshot: Catalogues | None = None
        self._stamp = 0.0
        self._checked_at = 0.0

    def reload(self) -> Catalogues:
        """Load the files now."""
        stamp = _latest_change(self.config_dir)
        snapshot = load_catalogues(self.config_dir)
        with self._lock:
            self._snapshot, self._stamp, self._checked_at = snapshot, stamp, time.monotonic()
        return snapshot

    def current(self) -> Catalogues:
        """The latest good snapshot, reloaded if the files changed."""
        snapshot = self._snapshot
        if snapshot is None:
            return self.reload()
        if time.monotonic() - self._checked_at < self.check_every:
            return snapshot
        self._checked_at = time.monotonic()
        if _latest_change(self.config_dir) != self._stamp:
            try:
                return self.reload()
            except (ValueError, KeyError, TypeError, AttributeError):
                return snapshot  # a half-written or broken edit: keep answering from the last good one
        return snapshot
