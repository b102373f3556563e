"""Business rules as plain data and functions: no storage, no messenger."""
