"""Query functions: keyword-only arguments, one page or one batch per call, no commits."""
