"""Every Redis key Baraza uses is built here, so the key space is documented in one place.

Rasa's own tracker and lock stores use their own prefixes (``tracker:``/``lock:``, set in
``endpoints.yml``); Baraza's keys all start with ``baraza:``.
"""

PREFIX = "baraza"


def alert(alert_id: str) -> str:
    """JSON document of one alert."""
    return f"{PREFIX}:alert:{alert_id}"


def alerts_by_region(region_id: str) -> str:
    """Sorted set of alert ids targeting a region, scored by expiry (epoch seconds)."""
    return f"{PREFIX}:alerts:region:{region_id}"
