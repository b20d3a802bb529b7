"""Limits on what any one caller may ask of Baraza: token buckets in Redis, shared by every replica
(per conversation, per network address, per API key, per failed key, per ticket looked up)."""
