//! The headings an entry's text is shown under, in English or Chinese (`L` in the explorer,
//! `LANG=zh*` for `bkscope kb show`): one table for the knowledge-base panes and the CLI.

/// Section headings of an entry.
#[derive(Debug)]
pub struct Labels {
    /// The knowledge-base pane's title.
    pub pane: &'static str,
    /// Above the entry's match conditions.
    pub matches: &'static str,
    /// Above the root cause.
    pub cause: &'static str,
    /// Above the workarounds, in `kb show` (it says the order).
    pub fixes: &'static str,
    /// Above the workarounds, in the panes.
    pub workarounds: &'static str,
    /// Above the things that look like fixes but are not.
    pub dead: &'static str,
    /// Above the versions table.
    pub versions: &'static str,
    /// Above the links.
    pub docs: &'static str,
    /// Above what of the log matched.
    pub evidence: &'static str,
    /// A success rate nobody measured.
    pub not_measured: &'static str,
    /// The columns of the version table in a report: tool, status, versions, notes.
    pub version_columns: [&'static str; 4],
}

const EN: Labels = Labels {
    pane: "Knowledge base",
    matches: "Matches when",
    cause: "Root cause",
    fixes: "Workarounds (best first)",
    workarounds: "Workarounds",
    dead: "Dead ends",
    versions: "Versions",
    docs: "Docs",
    evidence: "Evidence",
    not_measured: "not measured",
    version_columns: ["Tool", "Status", "Versions", "Notes"],
};

const ZH: Labels = Labels {
    pane: "知识库",
    matches: "匹配条件",
    cause: "根本原因",
    fixes: "解决方法（按推荐顺序）",
    workarounds: "解决方法",
    dead: "无效的尝试",
    versions: "版本",
    docs: "文档",
    evidence: "依据",
    not_measured: "未测量",
    version_columns: ["工具", "状态", "版本", "说明"],
};

impl Labels {
    /// The headings in Chinese when `zh`, else in English.
    pub fn new(zh: bool) -> &'static Labels {
        if zh { &ZH } else { &EN }
    }
}
