"""Helper scripts for the storage tests: the kill -9 writer, the stress harness, the benchmark."""
