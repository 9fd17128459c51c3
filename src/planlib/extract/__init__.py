"""Extraction: the Document's tables, school tables, prose, sections and metadata turned into rows,
named by the indicator dictionary and given their meaning (basis, span, measure type)."""
