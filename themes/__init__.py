"""Stylesheets and themes: colours only through theme variables, so ANSI and custom themes work."""

from pathlib import Path

CSS_PATH = Path(__file__).with_name("warroom.tcss")
