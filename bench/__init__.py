"""Performance and scale bench harness: `python -m bench queries|pages|load|synth` (never run as timed tests).

Every figure is printed as one JSON line: {"figure": NAME, "value": X, "unit": U, "rows": N}.
Synthetic data (bench/synth.py) lives under .cache/bench/ and is never shown in the app.
"""
