"""Markdown to HTML with highlighted code and inline styles, for self-contained pages.

markdown-it-py and Pygments come with rich, so no extra dependency; inline styles mean the
exported page carries no stylesheet or script from anywhere else.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound


def _highlight(code: str, lang: str, _attrs: str) -> str:
    try:
        lexer = get_lexer_by_name(lang or "text")
    except ClassNotFound:
        return f"<pre><code>{escape(code)}</code></pre>"
    spans = highlight(code, lexer, HtmlFormatter(noclasses=True, nowrap=True, style="default"))
    return f'<pre class="code"><code class="language-{escape(lang)}">{spans}</code></pre>\n'


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    # "commonmark" with raw HTML off: a question's text can never inject markup or script.
    return MarkdownIt("commonmark", {"html": False, "highlight": _highlight}).enable("table")


def to_html(text: str) -> str:
    return _renderer().render(text)


def inline_html(text: str) -> str:
    """One line of Markdown (backticks, emphasis) without a wrapping paragraph."""
    return _renderer().renderInline(text)
