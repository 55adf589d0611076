"""beslutsdoc: nämndhandlingar från validerad YAML."""

__version__ = "0.1.0"
