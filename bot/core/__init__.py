"""The conversation core: events in, actions out, the same for every transport."""
