"""cleaner: turn scraped web and news text into clean text, with a record of every edit.

>>> from cleaner import clean
>>> clean("Senator Jane Roe Jane Q. RoeSenate passes the bill MORE said\\u00a0so.  ")
'Senator Jane Roe said so.'
"""

from cleaner.api import Cleaner, clean
from cleaner.model import Edit, Result

__all__ = ["Cleaner", "Edit", "Result", "__version__", "clean", "clean_batch", "clean_html"]
__version__ = "0.1.0"


def clean_html(html: str | bytes, url: str | None = None, **kwargs) -> str:
    """Extract the main text of an HTML page with trafilatura, then clean it."""
    from cleaner.extract import clean_html as _clean_html  # trafilatura is heavy: import late

    return _clean_html(html, url=url, **kwargs)


def clean_batch(batch, **kwargs):
    """Clean a list of strings, a dict of columns or a pyarrow Table (see cleaner.batch)."""
    from cleaner.batch import clean_batch as _clean_batch

    return _clean_batch(batch, **kwargs)
