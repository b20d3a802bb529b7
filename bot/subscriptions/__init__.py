"""Who follows which region and topics, with the consent behind it; forgetting and conversation expiry."""
