"""Similarity across a batch: pairs of submissions whose candidate-written code is alike.

fingerprint.py turns Python source into winnowed fingerprints of normalized tokens, sources.py
reads a submission's files safely, compare.py scores the pairs and finds matching fragments.
This module stays light: the CLI reads the default from it at start-up.
"""

DEFAULT_THRESHOLD = 0.5  # copies score near 1, disguised ones 0.8-0.9, independent ones < 0.2
