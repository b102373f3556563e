"""Files the program ships with: the default reception policy (``policy.toml``)."""
