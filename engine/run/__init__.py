"""Evaluating programs: the compiled-program cache, evaluate and the gradient check."""
