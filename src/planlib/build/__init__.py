"""Building the tables: checks on the sources, a researcher's corrections, provenance, the codebook,
and the output folder's guard, lock and swap. (planlib.pipeline, schema and comparison join
this package once the work on them elsewhere has merged.)"""
