"""Vectorised kernels, one module per mechanism. Each is a pure function of arrays and a generator,
so it can be run alone (classic models as special cases) and tested in isolation."""
