"""Delivering broadcasts to subscribers: typed notices, the queue and its exactly-once scripts, pacing,
channels, and the worker (``python -m bot.fanout``). Knows no feature: alerts and concerns use it."""
