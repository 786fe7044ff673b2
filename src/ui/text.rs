//! Text shaping shared by the views: log strings made inert, cut to a width, and the short
//! forms of paths, sizes and durations the tables use.

use std::borrow::Cow;

use crate::model::sanitize::inert;

/// A log-derived string, safe to draw: control characters and bidi overrides shown as escapes.
pub fn clean(s: &str) -> Cow<'_, str> {
    inert(s)
}

/// `s` made inert and cut to `width` characters, with `…` when cut.
pub fn fit(s: &str, width: usize) -> String {
    let s = inert(s);
    if s.chars().count() <= width {
        return s.into_owned();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// A `host[:port]` made inert and cut to `width` characters, keeping the port (`127.0.…:5001`):
/// on a machine of local registries the port is what tells them apart.
pub fn fit_host(host: &str, width: usize) -> String {
    // An inferred host (`app::route`) keeps its mark: the name is cut before it.
    if let Some(name) = host.strip_suffix(crate::app::route::MARK)
        && width > 1
    {
        let mut out = fit_host(name, width - 1);
        out.push(crate::app::route::MARK);
        return out;
    }
    let s = inert(host);
    if s.chars().count() <= width {
        return s.into_owned();
    }
    match s.rsplit_once(':') {
        Some((name, port))
            if !port.is_empty()
                && port.bytes().all(|b| b.is_ascii_digit())
                && width >= port.len() + 3 =>
        {
            let mut out: String = name.chars().take(width - port.len() - 2).collect();
            out.push('…');
            out.push(':');
            out.push_str(port);
            out
        }
        _ => fit(&s, width),
    }
}

/// `s` made inert and cut to `cols` terminal columns (wide characters count two), with `…`
/// when cut.
pub fn fit_cols(s: &str, cols: usize) -> String {
    let s = inert(s);
    if crate::app::wrap::width(&s) <= cols {
        return s.into_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > cols {
            break;
        }
        used += w;
        out.push(c);
    }
    if cols > 0 {
        out.push('…');
    }
    out
}

/// `s` made inert and cut to `width` characters from the left (`…` first): the end of a path
/// tells more than its start.
pub fn fit_left(s: &str, width: usize) -> String {
    let s = inert(s);
    let n = s.chars().count();
    if n <= width {
        return s.into_owned();
    }
    let mut out = String::from("…");
    out.extend(s.chars().skip(n + 1 - width.max(1)));
    out
}

/// A [`short_path`] cut to `width` characters keeping what tells rows apart: the repository's
/// name and the tag or digest at its end. The forms, the first that fits:
/// `library/busybox/manifests/sha256:96628e451247?ns=docker.io` (whole);
/// `library/busybox/manifests/sha256:96628e451247?…` (the query cut: a mirror's rows share
/// their `ns=`, which HOST, the detail and the Mirrors view name);
/// `…/busybox/manifests/sha256:96628e451247?…` (the namespace cut);
/// `…/busybox/…/sha256:96628e451247?…` (the kind cut: KIND says it);
/// `…/busybox@96628e451247` (a digest, `busybox:latest` a tag, as an image reference reads);
/// a digest shortened before the name is cut (`…/busybox@96628e45`, `busybox@9662`);
/// else its end with `…` first. A path of another shape (`/v2/`, a token url) keeps its end.
pub fn fit_path(path: &str, width: usize) -> String {
    fit_path_from(path, width, 0).0
}

/// [`fit_path`] for a registry path that does not fit whole, starting at cut form `from`
/// (1: the query cut … 4: the image reference; 5: shorter still), and the form it took (0:
/// whole, or a path of another shape). A table cuts the paths in view to one form, the
/// deepest any needs (a review saw `…/busybox@96628e451247` beside
/// `…/busybox/…/sha256:96628e451247`, one object in two forms).
pub fn fit_path_from(path: &str, width: usize, from: u8) -> (String, u8) {
    let s = inert(path);
    let len = |t: &str| t.chars().count();
    if len(&s) <= width {
        return (s.into_owned(), 0);
    }
    let (body, query) = s.split_once('?').unwrap_or((&s, ""));
    let kind_at = ["/manifests/", "/blobs/", "/tags/"]
        .iter()
        .filter_map(|k| body.rfind(k).map(|i| (i, *k)))
        .max();
    let Some((at, kind)) = kind_at else {
        return (fit_other(body, query, width), 0);
    };
    let (repo, reference) = (&body[..at], &body[at + kind.len()..]);
    if repo.is_empty() || reference.is_empty() {
        return (fit_left(&s, width), 0);
    }
    let q = if query.is_empty() { "" } else { "?…" };
    let (lead, name) = match repo.rsplit_once('/') {
        Some((_, name)) => ("…/", name),
        None => ("", repo),
    };
    let short_ref = match reference.split_once(':') {
        Some((algo, hex)) if algo.starts_with("sha") => format!("@{hex}"),
        _ if kind == "/manifests/" => format!(":{reference}"),
        _ => format!("/{reference}"),
    };
    let forms = [
        format!("{body}{q}"),
        format!("{lead}{name}{kind}{reference}{q}"),
        format!("{lead}{name}/…/{reference}{q}"),
        format!("{lead}{name}{short_ref}"),
    ];
    let skip = usize::from(from.saturating_sub(1));
    if let Some((i, f)) = forms
        .iter()
        .enumerate()
        .skip(skip)
        .find(|(_, f)| len(f) <= width)
    {
        return (f.clone(), i as u8 + 1);
    }
    // Narrower still, a digest gives way before the name (`…/busybox@96628e45`, down to
    // `SHORT_DIGEST` digits; then `busybox@9662`, down to half as many); then the end.
    if let Some(hex) = short_ref.strip_prefix('@') {
        for (lead, least) in [(lead, SHORT_DIGEST), ("", SHORT_DIGEST / 2)] {
            let room = width.saturating_sub(len(lead) + len(name) + 1);
            if room >= least {
                let cut: String = hex.chars().take(room).collect();
                return (format!("{lead}{name}@{cut}"), 5);
            }
        }
    }
    (fit_left(&forms[3], width), 5)
}

/// A cut path of another shape (a token endpoint, a login): the endpoint and what its query
/// says, its redacted values left out first (a review's token rows read only
/// `…D&apiKey=REDACTED&access_key=REDACTED&private_token=REDACTED`): `token?scope=…&…`, then
/// `token?…`, then its end.
fn fit_other(body: &str, query: &str, width: usize) -> String {
    let len = |t: &str| t.chars().count();
    if query.is_empty() {
        // Whole segments from the end, as an image ref keeps its name: `…/node:20`, not
        // `…brary/node:20`.
        if len(body) <= width {
            return body.to_owned();
        }
        let mut at = body.len();
        while let Some(i) = body[..at].rfind('/') {
            if len(&body[i..]) + 1 > width {
                break;
            }
            at = i;
        }
        return match at < body.len() {
            true => format!("…{}", &body[at..]),
            false => fit_left(body, width),
        };
    }
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.ends_with(crate::model::redact::MASK))
        .collect();
    let left_out = kept.len() < query.split('&').count();
    let told = match (kept.is_empty(), left_out) {
        (true, _) => format!("{body}?…"),
        (false, true) => format!("{body}?{}&…", kept.join("&")),
        (false, false) => format!("{body}?{query}"),
    };
    if len(&told) <= width {
        return told;
    }
    let cut: String = told.chars().take(width.saturating_sub(1)).collect();
    if len(body) + 3 <= width {
        return format!("{cut}…");
    }
    fit_left(&format!("{body}?…"), width)
}

/// The fewest digest digits a cut PATH keeps after the image name, as a short git hash.
const SHORT_DIGEST: usize = 8;

/// The part of a registry url a table shows: the path after `/v2/`, digests shortened.
pub fn short_path(url: &str) -> String {
    let path = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest.find('/').map_or("", |i| &rest[i..]));
    let path = path.strip_prefix("/v2/").unwrap_or(path);
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(i) = rest.find("sha256:") {
        out.push_str(&rest[..i + 7]);
        let hex = &rest[i + 7..];
        let n = hex.bytes().take_while(u8::is_ascii_hexdigit).count();
        out.push_str(&hex[..n.min(12)]);
        rest = &hex[n..];
    }
    out.push_str(rest);
    out
}

/// Where a scrolled pane is, for its border: ` 6-20/40 ` (rows shown, of all), or `None`
/// when everything fits.
pub fn position(scroll: u16, extent: crate::app::scroll::Extent) -> Option<String> {
    let first = usize::from(scroll);
    (extent.rows > extent.height && extent.height > 0).then(|| {
        format!(
            " {}-{}/{} ",
            first + 1,
            (first + extent.height).min(extent.rows),
            extent.rows
        )
    })
}

// The duration words (`12ms`, `<1s`, `~3s`) live in `app::words`: the `x` export (app) and
// `summary` say them too, and app must not depend on ui.
pub use crate::app::words::{after, between, bytes, duration, millis};

/// Block characters for a text sparkline of `values` resampled to `width` cells (max per cell).
pub fn sparkline(values: &[u64], width: usize) -> String {
    const BARS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let cells = resample(values, width);
    let max = cells.iter().copied().max().unwrap_or(0).max(1);
    cells
        .iter()
        .map(|&v| {
            if v == 0 {
                '·'
            } else {
                BARS[((v * 8).div_ceil(max) as usize).clamp(1, 8)]
            }
        })
        .collect()
}

/// `values` squeezed or stretched to `width` cells, keeping each cell's maximum.
pub fn resample(values: &[u64], width: usize) -> Vec<u64> {
    if values.is_empty() || width == 0 {
        return vec![0; width];
    }
    (0..width)
        .map(|c| {
            let lo = c * values.len() / width;
            let hi = ((c + 1) * values.len() / width)
                .max(lo + 1)
                .min(values.len());
            values[lo..hi].iter().copied().max().unwrap_or(0)
        })
        .collect()
}

/// Source `s` as the header names it (`demo.log`, `/dev/fd/63`), inert; `source N` for one
/// the app has not registered.
pub fn source_label(app: &crate::app::App, s: u32) -> String {
    app.sources
        .get(s as usize)
        .map_or_else(|| format!("source {s}"), |i| clean(&i.label).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// buildkitd's default timestamps have whole seconds (the GCR seed: every line at
    /// 17:47:48Z): a difference is `<1s` or `~Ns`, not the `0ms` it used to read.
    #[test]
    fn durations_are_as_precise_as_the_log() {
        let t = |s: &str| crate::parse::parse_rfc3339(s).expect("a time");
        let whole = t("2022-02-06T17:47:48Z");
        assert_eq!(between(whole, whole), "<1s");
        assert_eq!(between(whole, t("2022-02-06T17:47:50Z")), "~2s");
        assert_eq!(after(whole, t("2022-02-06T17:47:50Z")), "+~2s");
        let a = t("2026-11-24T13:08:54.254309228Z");
        assert_eq!(between(a, t("2026-11-24T13:08:54.303699422Z")), "49ms");
        assert_eq!(between(whole, t("2022-02-06T17:47:48.5Z")), "500ms");
    }

    // The review: at 60 columns every mirror row's PATH read `…?ns=docker.io`, at 120
    // `…256:6c496c4fa32c?ns=docker.io`: a cut path keeps the repository's name and the
    // reference, the query goes first. Paths from demo.log (sample/demo.log).
    #[test]
    fn a_cut_path_keeps_the_name_and_the_reference() {
        let p = short_path(
            "http://127.0.0.1:5001/v2/library/busybox/manifests/sha256:96628e451247e1b8b3b8?ns=docker.io",
        );
        assert_eq!(
            p,
            "library/busybox/manifests/sha256:96628e451247?ns=docker.io"
        );
        let cut: Vec<String> = [58, 57, 47, 45, 39, 31, 22, 19, 16, 14, 8]
            .iter()
            .map(|&w| fit_path(&p, w))
            .collect();
        assert_eq!(
            cut,
            [
                "library/busybox/manifests/sha256:96628e451247?ns=docker.io",
                "library/busybox/manifests/sha256:96628e451247?…",
                "library/busybox/manifests/sha256:96628e451247?…",
                "…/busybox/manifests/sha256:96628e451247?…",
                "…/busybox/…/sha256:96628e451247?…",
                "…/busybox@96628e451247",
                "…/busybox@96628e451247",
                // A review: `…sybox@96628e451247` split the name; the digest gives way first.
                "…/busybox@96628e451",
                "busybox@96628e45",
                "busybox@96628e",
                "…e451247",
            ]
        );
        for (w, c) in [58, 57, 47, 45, 39, 31, 22, 19, 16, 14, 8].iter().zip(&cut) {
            assert!(c.chars().count() <= *w, "{w}: {c}");
        }
        // A tag reads as an image reference; a path of another shape keeps its end.
        let tag = short_path("https://registry-1.docker.io/v2/library/alpine/manifests/latest");
        assert_eq!(fit_path(&tag, 20), "…/alpine/…/latest");
        assert_eq!(fit_path(&tag, 16), "…/alpine:latest");
        assert_eq!(
            fit_path("myimage/blobs/sha256:0b63d9a3b522", 20),
            "myimage@0b63d9a3b522"
        );
        // A BuildKit span's image ref (a url-less log's PATH): whole segments from the end.
        assert_eq!(
            fit_path("docker.io/library/node:20", 20),
            "…/library/node:20"
        );
        assert_eq!(fit_path("docker.io/library/node:20", 14), "…/node:20");
        assert_eq!(fit_path("docker.io/library/node:20", 8), "…node:20");
        // Another shape: the endpoint first, then its query, cut at the end.
        assert_eq!(
            fit_path("token?scope=repository:a/b:pull", 10),
            "token?sco…"
        );
        assert_eq!(
            fit_path("oauth2/token?scope=repository:a/b:pull", 10),
            "…2/token?…"
        );
        // A review: token rows showed only their redacted values. They go first.
        let token = "token?scope=repository%3Aa%3Apull&service=r.example&offline_token=true&\
client_id=docker&api-key=REDACTED&apiKey=REDACTED&access_key=REDACTED&private_token=REDACTED";
        assert_eq!(
            fit_path(token, 60),
            "token?scope=repository%3Aa%3Apull&service=r.example&offline…"
        );
        assert_eq!(
            fit_path(token, 100),
            "token?scope=repository%3Aa%3Apull&service=r.example&offline_token=true&client_id=docker&…"
        );
        let secret = "oauth2/token?client_secret=REDACTED&refresh_token=REDACTED&id_token=REDACTED";
        assert_eq!(fit_path(secret, 40), "oauth2/token?…");
    }

    #[test]
    fn a_cut_host_keeps_its_port() {
        assert_eq!(fit_host("127.0.0.1:5001", 14), "127.0.0.1:5001");
        assert_eq!(fit_host("127.0.0.1:5001", 11), "127.0…:5001");
        assert_eq!(fit_host("127.0.0.1:5011", 10), "127.…:5011");
        assert_eq!(fit_host("registry-1.docker.io", 10), "registry-…");
        assert_eq!(fit_host("[::1]:5000", 6), "[::1]…");
        assert!(!fit_host("a.b\x1b[31m:80", 8).contains('\x1b'));
    }

    #[test]
    fn shapes() {
        assert_eq!(
            short_path(
                "http://127.0.0.1:5001/v2/library/alpine/blobs/sha256:0123456789abcdef0123?ns=docker.io"
            ),
            "library/alpine/blobs/sha256:0123456789ab?ns=docker.io"
        );
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit_left("abcdef", 4), "…def");
        assert_eq!(fit("a\x1b[2Jb", 20), "a\\x1b[2Jb");
        assert_eq!(bytes(523), "523B");
        assert_eq!(bytes(1536), "1.5K");
        assert_eq!(millis(3400), "3.4s");
        assert_eq!(sparkline(&[0, 1, 8], 3), "·▁█");
        assert_eq!(resample(&[1, 5, 2, 0], 2), [5, 2]);
    }
}
