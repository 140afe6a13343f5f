"""longarm: an evidence workbench for documenting transnational policing infrastructure."""

__version__ = "0.1.0"
