"""Crisis alerts: the alerts active in a region (authoring and fan-out come later)."""
