"""The Sanic app: citizen web chat page and health endpoints (ministry and analyst APIs join later)."""
