"""Baraza's extensions of Rasa itself (not of the conversation).

- NLU components (``config.yml``): opt-out keywords (``opt_out``), ticket references
  (``ticket_reference``), catalogue values for entities (``entity_values``), and only the entities the
  predicted intent's action reads (``intent_entities``); their base is ``component``;
- the Rasa server with two repeated computations removed (``speedups``, started by ``serve``);
- a check of the training data against the catalogues (``validate_data``).

Like ``actions/`` and ``bot/channels/``, this is Rasa glue; the domain logic it uses lives in ``bot/``.
"""
