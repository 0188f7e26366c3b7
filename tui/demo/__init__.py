"""The offline demo: an in-process moto server, a runbook-shaped fleet and a simulator that keeps it moving."""
