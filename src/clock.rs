//! The one clock every command reads: the system's, or the fixed instant `REHEARSE_NOW` names.
//!
//! Time decides which reviews are due, when an attempt was recorded, streaks and session ids.
//! Reading it in one place, and handing it to commands through the `Context` and to the session
//! as a [`Clock`], is what lets a test or a reproducible report fix "now" for everything at once;
//! a direct `Timestamp::now()` anywhere else would quietly escape `REHEARSE_NOW`. The time zone
//! times are shown in, and their one format, are here too.

use anyhow::Context as _;
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// Environment variable that fixes "now" (RFC 3339, e.g. `2026-01-05T09:00:00Z`), so tests and
/// reproducible reports do not depend on the clock.
pub const NOW_VAR: &str = "REHEARSE_NOW";

/// Where the current time comes from, so tests can make time pass at will.
pub trait Clock {
    /// Now.
    fn now(&self) -> Timestamp;
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// The clock of one run of rehearse: the system's, or a fixed instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RunClock {
    /// The system clock.
    #[default]
    System,
    /// Always this instant (`REHEARSE_NOW`).
    Fixed(Timestamp),
}

impl RunClock {
    /// The system clock, unless `REHEARSE_NOW` is set (and not empty).
    pub fn from_env() -> anyhow::Result<RunClock> {
        match std::env::var(NOW_VAR) {
            Ok(text) if !text.is_empty() => Self::parse(&text),
            _ => Ok(RunClock::System),
        }
    }

    /// A fixed clock from an RFC 3339 time.
    pub fn parse(text: &str) -> anyhow::Result<RunClock> {
        text.parse().map(RunClock::Fixed).with_context(|| {
            format!("{NOW_VAR}={text:?} is not an RFC 3339 time such as 2026-01-05T09:00:00Z")
        })
    }
}

impl Clock for RunClock {
    fn now(&self) -> Timestamp {
        match self {
            RunClock::System => SystemClock.now(),
            RunClock::Fixed(t) => *t,
        }
    }
}

/// The time zone days and times are shown in: the system's (`TZ` overrides it).
pub fn time_zone() -> TimeZone {
    TimeZone::system()
}

/// `2026-01-05 10:00` in `tz`.
pub fn local_time(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned(tz.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_stands_still_and_a_bad_time_is_named() {
        let clock = RunClock::parse("2026-01-05T09:00:00Z").unwrap();
        assert_eq!(clock.now(), clock.now());
        assert_eq!(clock.now().to_string(), "2026-01-05T09:00:00Z");
        let err = RunClock::parse("yesterday").unwrap_err().to_string();
        assert!(err.contains("REHEARSE_NOW=\"yesterday\""), "{err}");
    }

    /// Every other module takes its time from a `Clock`: a direct call to the system clock
    /// elsewhere would escape `REHEARSE_NOW` (as `practice --review` and `drill --record` once
    /// did).
    #[test]
    fn nothing_else_reads_the_system_clock() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut offenders = Vec::new();
        let mut dirs = vec![root.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                if path.ends_with("clock.rs") || path.extension().is_none_or(|e| e != "rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for needle in ["Timestamp::now()", "SystemTime::now()", "Zoned::now()"] {
                    if text.contains(needle) {
                        offenders.push(format!("{}: {needle}", path.display()));
                    }
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "read the clock from a `Clock`: {offenders:?}"
        );
    }
}
