"""Output and review file formats: English text, TMX, PO, HTML review page, JSON report."""
