//! Contrast of what the built-in themes draw on the bars (the header, the tab bar, the status
//! bar): each style's colours against the bar's, in the xterm palette's colours for the 16
//! basic ones, as WCAG 2 computes contrast. The review: high-contrast drew `10 errors`, `‖
//! paused` and the keys yellow on white, about 1.7:1.

use ratatui::style::{Color, Modifier, Style};

use super::{BUILTIN, Theme};

/// xterm's default RGB for a colour (the 16 basic ones, the 256-colour cube, the grays).
fn rgb(c: Color) -> Option<(u8, u8, u8)> {
    const BASIC: [(u8, u8, u8); 16] = [
        (0, 0, 0),
        (205, 0, 0),
        (0, 205, 0),
        (205, 205, 0),
        (0, 0, 238),
        (205, 0, 205),
        (0, 205, 205),
        (229, 229, 229),
        (127, 127, 127),
        (255, 0, 0),
        (0, 255, 0),
        (255, 255, 0),
        (92, 92, 255),
        (255, 0, 255),
        (0, 255, 255),
        (255, 255, 255),
    ];
    let i = match c {
        Color::Rgb(r, g, b) => return Some((r, g, b)),
        Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        Color::White => 15,
        Color::Indexed(i) if i < 16 => i,
        Color::Indexed(i) if i >= 232 => {
            let v = 8 + 10 * (i - 232);
            return Some((v, v, v));
        }
        Color::Indexed(i) => {
            let step = |v: u8| if v == 0 { 0 } else { 55 + 40 * v };
            let i = i - 16;
            return Some((step(i / 36), step(i / 6 % 6), step(i % 6)));
        }
        Color::Reset => return None,
    };
    Some(BASIC[usize::from(i)])
}

fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let lin = |v: u8| {
        let c = f64::from(v) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// WCAG contrast of two colours, 1 to 21.
fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// The colours `s` is drawn in on a bar styled `bar`: its own where it sets them, else the
/// bar's; swapped when reversed.
fn on_bar(s: Style, bar: Style) -> (Option<Color>, Option<Color>) {
    let fg = s.fg.or(bar.fg);
    let bg = s.bg.or(bar.bg);
    if s.add_modifier.contains(Modifier::REVERSED) {
        (bg, fg)
    } else {
        (fg, bg)
    }
}

/// The styles drawn on the bars, by name: the header's title, counters, follow state and
/// sources' states (`ok`, `warning`, `error`, `accent`, `dim`), the tabs, the key letters
/// and the gauge.
fn bar_styles(t: &Theme) -> Vec<(&'static str, Style)> {
    vec![
        ("bar", Style::default()),
        ("title", t.title),
        ("tab", t.tab),
        ("tab_active", t.tab_active),
        ("text", t.text),
        ("dim", t.dim),
        ("ok", t.ok),
        ("warning", t.warning),
        ("error", t.error),
        ("accent", t.accent),
        ("key", t.key),
        ("hint", t.hint),
        ("gauge", t.gauge),
    ]
}

/// The least contrast on a bar: WCAG AA for text (4.5:1); `dim` (separators, zero counts)
/// 3:1 in the other themes, 4.5:1 in high-contrast.
fn least(theme: &str, style: &str) -> f64 {
    match (theme, style) {
        ("high-contrast", _) => 4.5,
        (_, "dim") => 3.0,
        _ => 4.5,
    }
}

#[test]
fn every_style_on_the_bars_of_the_builtin_themes_has_strong_contrast() {
    let mut weak = Vec::new();
    for (name, _) in BUILTIN {
        let Ok(t) = Theme::load(Some(name), None) else {
            panic!("{name} loads");
        };
        for (style, s) in bar_styles(&t) {
            let (fg, bg) = on_bar(s, t.bar);
            let (Some(fg), Some(bg)) = (fg.and_then(rgb), bg.and_then(rgb)) else {
                weak.push(format!(
                    "{name}.{style}: a colour left to the terminal on a bar"
                ));
                continue;
            };
            let c = contrast(fg, bg);
            if c < least(name, style) {
                weak.push(format!("{name}.{style}: {c:.2}:1 ({fg:?} on {bg:?})"));
            }
        }
    }
    assert!(weak.is_empty(), "{weak:#?}");
}

#[test]
fn contrast_is_wcag_contrast() {
    assert!((contrast((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 1e-9);
    // The review's pair: xterm's yellow on white.
    let c = contrast((205, 205, 0), (255, 255, 255));
    assert!(c > 1.5 && c < 2.0, "{c}");
}
