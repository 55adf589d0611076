"""The document model: what a paper says, as blocks of data, free of Word and HTML.

Readers (the Markdown reader, each paper type's builder) produce it; writers (Word,
and after it others) write it; transforms (the public copy) rewrite it in between.
"""
