"""Rasa input/output channels of Baraza (Rasa glue: the only part of ``bot/`` that imports Rasa)."""
