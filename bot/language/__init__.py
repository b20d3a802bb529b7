"""Which language a citizen writes in, and which one the conversation keeps."""
