//! ratatui widgets that draw an `&App`: layout, tables, panes, bars, popups.
