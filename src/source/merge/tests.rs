//! Merger tests: time order across sources, waiting for sources still loading, events kept in
//! place, the memory bound.

use super::*;

fn line(source: u32, number: u64, text: &str) -> Line {
    Line {
        source,
        number,
        offset: 0,
        text: text.to_owned(),
        truncated: false,
        lossy: false,
    }
}

fn at(source: u32, number: u64, second: u32) -> Line {
    line(
        source,
        number,
        &format!("time=\"2024-05-01T10:00:{second:02}Z\" msg=\"{source}/{number}\""),
    )
}

fn state(source: u32, state: SourceState) -> SourceEvent {
    SourceEvent::State { source, state }
}

/// (source, number) of every line released, events as (source, 0).
fn released(m: &mut Merger) -> Vec<(u32, u64)> {
    let mut out = Vec::new();
    m.pop_ready(&mut out);
    flatten(out)
}

fn flatten(out: Vec<SourceEvent>) -> Vec<(u32, u64)> {
    out.into_iter()
        .flat_map(|ev| match ev {
            SourceEvent::Lines(l) => l.into_iter().map(|l| (l.source, l.number)).collect(),
            SourceEvent::State { source, .. }
            | SourceEvent::Reset { source, .. }
            | SourceEvent::Progress { source, .. } => vec![(source, 0)],
        })
        .collect()
}

#[test]
fn loading_histories_interleave_by_time() {
    let mut m = Merger::new([0, 1]);
    m.push(SourceEvent::Lines(vec![
        at(0, 1, 1),
        at(0, 2, 4),
        at(0, 3, 5),
    ]));
    m.push(SourceEvent::Lines(vec![
        at(1, 1, 2),
        at(1, 2, 3),
        at(1, 3, 6),
    ]));
    let mut out = Vec::new();
    m.pop_ready(&mut out);
    // Both sources are still Starting: only lines older than both queues' heads can go, and
    // the queue that runs dry first holds the rest back.
    let first = flatten(out);
    assert_eq!(first, [(0, 1), (1, 1), (1, 2), (0, 2), (0, 3)]);
    m.push(state(1, SourceState::Following));
    assert_eq!(
        released(&mut m),
        [],
        "source 0 may still send an older line"
    );
    m.push(state(0, SourceState::Following));
    assert_eq!(released(&mut m), [(0, 0), (1, 3), (1, 0)]);
    assert_eq!(m.pending(), 0);
}

#[test]
fn a_loading_source_with_nothing_queued_holds_the_others() {
    let mut m = Merger::new([0, 1]);
    m.push(state(0, SourceState::Following));
    m.push(SourceEvent::Lines(vec![at(0, 1, 9)]));
    m.push(state(1, SourceState::Loading));
    assert_eq!(
        released(&mut m),
        [(0, 0), (1, 0)],
        "states go, the line waits"
    );
    m.push(SourceEvent::Lines(vec![at(1, 1, 3)]));
    m.push(state(1, SourceState::Following));
    assert_eq!(released(&mut m), [(1, 1), (1, 0), (0, 1)]);
}

#[test]
fn lines_without_time_stay_with_their_neighbours() {
    let mut m = Merger::new([0, 1]);
    m.push(SourceEvent::Lines(vec![
        at(0, 1, 1),
        line(0, 2, "  continuation"),
        at(0, 3, 5),
    ]));
    m.push(SourceEvent::Lines(vec![
        line(1, 1, "no time yet"),
        at(1, 2, 3),
    ]));
    m.push(state(0, SourceState::Following));
    m.push(state(1, SourceState::Following));
    assert_eq!(
        released(&mut m),
        [(1, 1), (0, 1), (0, 2), (1, 2), (1, 0), (0, 3), (0, 0)]
    );
}

#[test]
fn progress_passes_at_once_and_states_follow_their_lines() {
    let mut m = Merger::new([0, 1]);
    m.push(SourceEvent::Lines(vec![at(0, 1, 1)]));
    m.push(SourceEvent::Reset {
        source: 0,
        why: "truncated".into(),
    });
    m.push(SourceEvent::Progress {
        source: 0,
        read: 5,
        total: 10,
    });
    let mut out = Vec::new();
    m.pop_ready(&mut out);
    assert!(matches!(out.as_slice(), [SourceEvent::Progress { .. }]));
    m.push(state(1, SourceState::Ended(None)));
    assert_eq!(released(&mut m), [(1, 0), (0, 1), (0, 0)]);
}

#[test]
fn too_many_queued_lines_release_anyway_and_pop_all_empties() {
    let mut m = Merger::new([0, 1]).with_limits(3, 2);
    m.push(SourceEvent::Lines((1..=3).map(|n| at(0, n, 1)).collect()));
    assert_eq!(released(&mut m), [], "at the bound, still waiting");
    m.push(SourceEvent::Lines(vec![at(0, 4, 2)]));
    let mut out = Vec::new();
    m.pop_ready(&mut out);
    assert_eq!(out.len(), 1, "one line over the bound releases one");
    m.push(SourceEvent::Lines(vec![at(1, 1, 0)]));
    let mut out = Vec::new();
    m.pop_all(&mut out);
    let sizes: Vec<usize> = out
        .iter()
        .map(|e| match e {
            SourceEvent::Lines(l) => l.len(),
            _ => 0,
        })
        .collect();
    assert_eq!(sizes, [2, 2], "batches of at most 2");
    assert_eq!(m.pending(), 0);
}
