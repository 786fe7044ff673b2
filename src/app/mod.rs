//! TUI state and `update(Action)`: everything the explorer shows, changed only by actions; draws nothing.
