"""The autodiff core: errors, budgets, numeric helpers and the graph with its two passes."""
