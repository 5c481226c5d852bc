"""The exercise. The docstring is the spec; README.md has the details."""


def count_words(text: str) -> dict[str, int]:
    """How often each word occurs in `text`, as {word: count}.

    Words are separated by white space (spaces, tabs, line breaks) and compared regardless of
    case: each is counted, and given, in lower case. A text without words gives {}.
    Example: count_words("the cat saw The dog") == {"the": 2, "cat": 1, "saw": 1, "dog": 1}
    """
    raise NotImplementedError  # yours to write: count the words
