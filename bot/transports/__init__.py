"""Transports: thin adapters that turn a messenger's updates into core events and carry out actions."""
