"""Similarity across a batch: pairs of submissions whose candidate-written code is alike.

fingerprint.py turns Python source into winnowed fingerprints of normalized tokens, sources.py
reads a submission's files safely, compare.py scores pairs and finds the matching fragments.
"""

from grader.similarity.compare import (
    DEFAULT_THRESHOLD,
    SimilarityReport,
    SimilarPair,
    Submission,
    find_similar,
)

__all__ = ["DEFAULT_THRESHOLD", "SimilarPair", "SimilarityReport", "Submission", "find_similar"]
