//! `--format junit`: JUnit XML as GitLab, Jenkins and GitHub test reporters read it.
//!
//! One `<testsuite>` per answers file (named by its path, with the candidate as a property), one
//! `<testcase>` per answer (named `PACK/ID`), and a `<failure>` when the answer falls below a
//! threshold: the message says which thresholds, the body lists the missed criteria with their
//! hints. A file that could not be graded becomes a suite with one `<error>` test case carrying
//! its located problems, so a CI page shows it next to the others. No timestamps or durations are
//! written: the same answers give the same bytes.
//!
//! XML is produced by `quick-junit`, one suite at a time: each suite is serialised as a report of
//! its own and its `<testsuite>` element is spooled; at the end a report with the totals and no
//! suites gives the outer `<testsuites>` element, and the spooled suites go inside it. That keeps
//! memory flat for any cohort size while quick-junit does all the escaping.

use std::io::{self, Write};

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use super::{Exporter, Spool, levels_line, missed_lines};
use crate::drill::FileOutcome;
use crate::drill::summary::SummaryReport;

/// Name of the outer `<testsuites>` element.
const REPORT_NAME: &str = "rehearse drill";

/// Streams JUnit XML.
#[derive(Default)]
pub struct Junit {
    spool: Spool,
    tests: usize,
    failures: usize,
    errors: usize,
}

/// A path as a JUnit class name: Jenkins splits class names on dots into a package tree, so
/// `answers/team-a/ada.yaml` becomes `answers.team-a.ada`.
fn classname(source: &str) -> String {
    let stem = source
        .strip_suffix(".yaml")
        .or_else(|| source.strip_suffix(".yml"))
        .unwrap_or(source);
    stem.trim_start_matches("./").replace(['/', '\\'], ".")
}

fn suite_for(outcome: &FileOutcome<'_>) -> TestSuite {
    let mut suite = TestSuite::new(outcome.source());
    let class = classname(outcome.source());
    match outcome {
        FileOutcome::Graded {
            candidate, answers, ..
        } => {
            if let Some(candidate) = candidate {
                suite.add_property(Property::new("candidate", candidate.as_str()));
            }
            for graded in answers {
                let eval = &graded.evaluation;
                let status = if graded.passed() {
                    TestCaseStatus::success()
                } else {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    let reasons: Vec<String> =
                        graded.shortfalls.iter().map(ToString::to_string).collect();
                    let mut body = vec![levels_line(eval)];
                    let missed = missed_lines(eval);
                    if !missed.is_empty() {
                        body.push("Missed criteria:".to_string());
                        body.extend(missed);
                    }
                    for flag in &eval.flags {
                        body.push(format!("Flag {}: {}", flag.id, flag.message));
                    }
                    status
                        .set_type("below-threshold")
                        .set_message(reasons.join("; "))
                        .set_description(body.join("\n"));
                    status
                };
                let mut case = TestCase::new(graded.entry.qualified_id(), status);
                case.set_classname(class.as_str());
                case.set_system_out(levels_line(eval));
                suite.add_test_case(case);
            }
        }
        FileOutcome::Broken { problems, .. } => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status
                .set_type("input-error")
                .set_message(format!(
                    "answers file could not be graded: {}",
                    crate::plural::plural(problems.0.len(), "problem", "problems")
                ))
                .set_description(problems.to_string());
            let mut case = TestCase::new("answers file", status);
            case.set_classname(class.as_str());
            suite.add_test_case(case);
        }
    }
    suite
}

/// quick-junit's serialisation of `report`.
fn render(report: &Report) -> io::Result<String> {
    report.to_string().map_err(io::Error::other)
}

impl Exporter for Junit {
    fn file(&mut self, _out: &mut dyn Write, outcome: &FileOutcome<'_>) -> io::Result<()> {
        let suite = suite_for(outcome);
        self.tests += suite.tests;
        self.failures += suite.failures;
        self.errors += suite.errors;
        let mut report = Report::new(REPORT_NAME);
        report.add_test_suite(suite);
        let xml = render(&report)?;
        // The report is the declaration line, the `<testsuites>` start tag on one line, the
        // suite, and `</testsuites>`: keep only the suite.
        let inner = xml
            .find("<testsuites")
            .and_then(|start| xml[start..].find('\n').map(|nl| start + nl + 1))
            .zip(xml.rfind("</testsuites>"))
            .and_then(|(from, to)| xml.get(from..to))
            .ok_or_else(|| io::Error::other("unexpected JUnit serialisation"))?;
        self.spool.write_all(inner.as_bytes())
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &SummaryReport) -> io::Result<()> {
        let mut report = Report::new(REPORT_NAME);
        report.tests = self.tests;
        report.failures = self.failures;
        report.errors = self.errors;
        let xml = render(&report)?;
        let close = xml
            .rfind("</testsuites>")
            .ok_or_else(|| io::Error::other("unexpected JUnit serialisation"))?;
        out.write_all(&xml.as_bytes()[..close])?;
        self.spool.replay(out)?;
        out.write_all(&xml.as_bytes()[close..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_names_follow_the_path() {
        assert_eq!(classname("answers/team-a/ada.yaml"), "answers.team-a.ada");
        assert_eq!(classname("./bob.yml"), "bob");
        assert_eq!(classname("notes.txt"), "notes.txt");
    }
}
