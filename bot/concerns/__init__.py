"""Citizens' concerns: reported in the chat, routed to a ministry, redacted, followed to an answer."""
