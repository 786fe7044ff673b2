//! View snapshots (TestBackend, fixed sizes) from real fixtures through parse and model.
