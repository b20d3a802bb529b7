"""What the people who improve Baraza learn from conversations: the questions it could not answer, and
the share of turns it understood, per language and day."""
