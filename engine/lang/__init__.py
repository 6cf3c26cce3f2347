"""The language: the graph builder (the parser's sink), the composites' templates and build()."""
