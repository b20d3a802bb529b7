"""Live handoff: when the assistant is not enough, a person at a ministry desk takes the conversation."""
