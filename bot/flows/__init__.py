"""Guided conversations declared as data (``model``), run by one engine (``engine``); every flow by
name in ``registry``."""
