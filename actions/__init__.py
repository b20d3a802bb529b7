"""Rasa custom actions: thin adapters from a Rasa tracker to the domain in ``bot/``.

Each action reads the turn (language, entities, slots), calls a function of :mod:`bot.assistant`
and sends its replies. Shared resources are created on first use, never at import time, because the
action server imports every module here at start.
"""
