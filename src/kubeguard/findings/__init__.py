"""Results of a scan: evaluations, findings and the report that reporters render."""
