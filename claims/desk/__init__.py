"""The editor desk: where editors log claim chains and two of them agree on a verdict."""
