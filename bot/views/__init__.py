"""Renderings shared by handlers and flows: cards and notices."""
