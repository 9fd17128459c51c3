"""Building the tables: the pipeline (parse every plan, check, correct, validate, write all or
nothing), source checks, a researcher's corrections, provenance, derived measures, the comparison,
the codebook, and the output folder's guard, lock and swap."""
