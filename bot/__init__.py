"""Reception assistant: a chat bot that helps staff prepare client visits and keep relationships warm."""
