"""The benchmark's parts: scripts/bench runs them (see results.py for what each part returns)."""
