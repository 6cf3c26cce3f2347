"""The language: tokenizer and parser, the graph builder and the composites' templates."""
