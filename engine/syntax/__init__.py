"""The language's grammar: text to post-order sink events. It knows no op, so the op records use it too."""
