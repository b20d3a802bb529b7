"""Open311 GeoReport v2: existing Open311 clients file and follow concerns (http://wiki.open311.org/GeoReport_v2)."""
