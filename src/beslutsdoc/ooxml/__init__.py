"""The Word package layer: the only code that reads or writes .docx parts and WordprocessingML."""
