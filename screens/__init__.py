"""Screens: the main screen, detail screens and modals. They compose widgets and own the key bindings."""
