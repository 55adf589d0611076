"""The board's public web pages: static HTML from the same document model as the papers."""
