"""Rasa custom actions: thin adapters from a Rasa tracker to the domain in ``bot/``, one module per feature.

Each action reads the turn (language, entities, slots), calls :mod:`bot.assistant` and the services of
:func:`bot.services.shared`, and sends its replies. Services are created on first use, never at import
time, because the action server imports every module here at start.
"""
