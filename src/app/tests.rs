//! App tests: key bindings and their effect on state, fed from real fixtures.
