"""beslutsdoc: nämndhandlingar från validerad YAML."""

import logging

__version__ = "0.1.0"

# pypdf reports damaged PDFs through logging, in English; our own errors say it in Swedish.
logging.getLogger("pypdf").setLevel(logging.ERROR)
