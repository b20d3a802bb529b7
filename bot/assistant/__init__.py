"""What the assistant says: replies composed from catalogues and locales, free of any Rasa type.

Each module answers one feature; the Rasa actions in ``actions/`` call these functions and only
translate the result into dispatcher messages and slot events.
"""
