"""Evidence packs: what an auditor asks about one vendor, in one zip file."""
