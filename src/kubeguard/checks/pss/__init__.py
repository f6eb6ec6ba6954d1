"""Pod Security Standards: one rule per control, evaluated at the scan's ``--pss`` level and version."""
