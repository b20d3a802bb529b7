"""Baraza's extensions of Rasa itself (not of the conversation): an NLU component and a data check.

Like ``actions/`` and ``bot/channels/``, this is Rasa glue; the domain logic it uses lives in ``bot/``.
"""
