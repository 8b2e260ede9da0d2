"""edition: load, check and render the teaching edition of the Stalin–Mao record.

Data flows one way: ``data/`` (the truth) -> this package -> notebooks -> the book.
Notebooks call the small functions in :mod:`edition.notebook`; everything else is
plain functions over pandas DataFrames.
"""

from .load import DataError, Corpus, load_corpus, data_dir

__all__ = ["DataError", "Corpus", "load_corpus", "data_dir"]
__version__ = "0.1.0"
