"""Starting Baraza: embedded Redis, model training when needed, and the processes."""
