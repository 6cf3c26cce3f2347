"""What leaves the engine: the graph as strict-JSON-ready data, and generated code."""
