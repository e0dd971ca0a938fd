"""Workloads by kind of work: cpu, io, sharing, stopping. Servers and their clients are in experiments/servers.py."""
