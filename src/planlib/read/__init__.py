"""Reading a plan: bytes to text (any encoding, lines as sed counts them), the shared patterns,
the number grammar, the plan period, and the :class:`~planlib.read.document.Document` every
extractor reads."""
