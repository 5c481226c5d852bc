"""Process isolation for untrusted candidate code."""
