"""Baraza: the domain of the citizen assistant, shared by the action server, the web app and workers.

Nothing in this package imports Rasa, except the channel adapters in :mod:`bot.channels`.
"""
