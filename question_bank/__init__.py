"""The interview question bank."""
