"""Thin handlers: read the input, call a service, render the reply. ``registry`` gathers them."""
