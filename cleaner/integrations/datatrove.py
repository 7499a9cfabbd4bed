"""A datatrove pipeline step that cleans ``document.text`` (extra ``datatrove``).

>>> from datatrove.executor import LocalPipelineExecutor
>>> from datatrove.pipeline.readers import JsonlReader
>>> from datatrove.pipeline.writers import JsonlWriter
>>> from cleaner.integrations.datatrove import CleanerStep
>>> LocalPipelineExecutor([JsonlReader("dumps/"), CleanerStep(edits_key="cleaner_edits"),
...                        JsonlWriter("clean/")], tasks=4).run()  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep
from datatrove.utils.typeshelper import StatHints

from cleaner.api import Cleaner


class CleanerStep(PipelineStep):
    """Clean each document's text with a :class:`cleaner.Cleaner`; documents are never dropped.

    ``preset``, ``select`` and ``cleaner_options`` (``rules``, ``timeout``, ...) are passed to
    :class:`cleaner.Cleaner`, which is built in each task on first use (so the step pickles
    small). ``url_key`` / ``publisher_key`` name the metadata fields that enable
    publisher-scoped rules (datatrove's readers put every non-text field in ``metadata``).
    With ``edits_key`` set, each document's edits (rule, start, end, removed, replacement;
    offsets into the text before cleaning) are stored as a list of dicts in that metadata field
    (empty for a document nothing changed; give datatrove's ParquetWriter a ``schema`` using
    :func:`edits_arrow_type`, or it infers ``list<null>`` from a first batch of such documents).

    Stats, on top of datatrove's ``total`` and time: ``changed`` (documents whose text
    changed), ``chars_removed`` (characters before minus after), ``edits`` and one
    ``rule:<id>`` counter per rule that edited (with ``edits_key`` set), ``emptied``
    (documents left with no text) and ``timeout`` (documents passed through unchanged because
    their regex work hit the time limit).
    """

    name = "🧹 cleaner"
    type = "✂️ - FORMAT"

    def __init__(
        self,
        preset: str = "default",
        select: list[str] | None = None,
        *,
        edits_key: str | None = None,
        url_key: str | None = "url",
        publisher_key: str | None = "publisher",
        **cleaner_options: Any,
    ) -> None:
        super().__init__()
        self.preset, self.select, self.cleaner_options = preset, select, cleaner_options
        self.edits_key, self.url_key, self.publisher_key = edits_key, url_key, publisher_key
        self._cleaner: Cleaner | None = None

    @property
    def cleaner(self) -> Cleaner:
        """The rule set, loaded and compiled on first use in this process."""
        if self._cleaner is None:
            self._cleaner = Cleaner(self.preset, self.select, **self.cleaner_options)
        return self._cleaner

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_cleaner"] = None  # compiled rules stay in the process that built them
        return state

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        """Yield every document of ``data`` with its text cleaned."""
        cleaner = self.cleaner
        for doc in data or ():
            self.stat_update(StatHints.total)
            meta = doc.metadata
            url = meta.get(self.url_key) if self.url_key else None
            publisher = meta.get(self.publisher_key) if self.publisher_key else None
            with self.track_time():
                result = cleaner.explain(
                    doc.text,
                    url=url if isinstance(url, str) else None,
                    publisher=publisher if isinstance(publisher, str) else None,
                )
            if result.error:
                self.stat_update("timeout")
            if self.edits_key:
                meta[self.edits_key] = [e.to_dict() for e in result.edits]
                for e in result.edits:
                    self.stat_update(f"rule:{e.rule}")
            if result.text != doc.text:
                self.stat_update("changed")
                self.stat_update("edits", value=len(result.edits))
                self.stat_update("chars_removed", value=len(doc.text) - len(result.text))
                if not result.text:
                    self.stat_update("emptied")
                doc.text = result.text
            yield doc


def edits_arrow_type() -> Any:
    """The pyarrow type of the ``edits_key`` metadata field, for an explicit Parquet schema."""
    import pyarrow as pa

    fields = [("rule", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
              ("removed", pa.string()), ("replacement", pa.string())]  # fmt: skip
    return pa.list_(pa.struct(fields))
