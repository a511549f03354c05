//! Word lists that tell substance from recital: the interview-virtue vocabulary that fits any
//! question, the concrete words (roles, times, technical nouns) that tie a sentence to a real
//! situation, and the markers of mockery, dismissal and buzzword salad.
//!
//! An interviewer's first question to "I would involve stakeholders and check the metrics" is
//! "about what?". These lists let the scorer ask the same question of every sentence: the rubric's
//! patterns find the act, and these words tell whether it is about anything. All entries are
//! normalised tokens (lower case, American spelling, contractions expanded).

use std::collections::HashSet;
use std::sync::OnceLock;

fn set(words: &'static [&'static str]) -> HashSet<&'static str> {
    words.iter().copied().collect()
}

/// Words that name an interview virtue or a generic engineering activity: they fit any question,
/// so a sentence made of them (with function words) says nothing about this one.
pub const GENERIC: &[&str] = &[
    "accountability", "accountable", "act", "acting", "action", "actions", "address", "affected",
    "agree", "align", "alignment", "alert", "alerting", "alerts", "alternative", "alternatives",
    "analysis", "analyze", "analyzing", "anomaly", "anomalies", "approach", "approaches",
    "architecture", "area", "areas", "aspect", "aspects", "assess", "assessment", "assume",
    "assumed", "assumption", "assumptions", "availability", "aware", "awareness", "balance",
    "baseline", "baselines", "behavior", "benefit", "benefits", "best", "blameless", "blast",
    "bottleneck", "bottlenecks", "business", "careful", "carefully", "case", "cases", "cause",
    "causes", "caused", "change", "changed", "changes", "check", "checked", "checking", "checks",
    "choice", "choices", "choose", "chose", "clear", "clearly", "collaborate", "collaboration",
    "communicate", "communicated", "communicating", "communication", "compare", "compared",
    "comparing", "comparison", "complexity", "component", "components", "concern", "concerns",
    "conclusion", "conclusions", "confirm", "confirmed", "consequence", "consequences",
    "consider", "considered", "considering", "constraint", "constraints", "context", "contexts",
    "correlate", "correlation", "cost", "costs", "critical", "culture", "customer", "customers",
    "dashboard", "dashboards", "data", "decide", "decided", "decision", "decisions", "define",
    "dependencies", "dependency", "deploy", "deployed", "deployment", "deployments", "deploys",
    "design", "detail", "details", "diagnose", "diagnosis", "diagnosing", "different", "direction",
    "document", "documentation", "documented", "downside", "downsides", "downstream", "edge",
    "effect", "effects", "effort", "engineering", "engineers", "ensure", "ensuring", "environment",
    "escalate", "escalation", "evaluate", "evaluating", "event", "events", "evidence", "expectation",
    "expectations", "experiment", "experiments", "explain", "factor", "factors", "failure",
    "failures", "feedback", "findings", "fix", "fixed", "fixes", "fixing", "focus", "follow",
    "framework", "gain", "gains", "gather", "gathering", "goal", "goals", "good", "happened",
    "happening", "health", "holistic", "hypotheses", "hypothesis", "hypothesize", "identify",
    "impact", "impacted", "impacts", "implement", "implementation", "implications", "important",
    "improve", "improvement", "improvements", "incident", "incidents", "inform", "informed",
    "information", "infrastructure", "insight", "insights", "investigate", "investigating",
    "investigation", "involve", "involved", "involving", "issue", "issues", "keep", "key",
    "know", "knowledge", "latency", "learn", "learned", "learning", "learnings", "lesson",
    "lessons", "level", "levels", "leverage", "likely", "limitation", "limitations", "log",
    "logging", "logs", "long", "loop", "looped", "maintain", "maintainability", "manage",
    "management", "measure", "measures", "method", "methodical", "methodically", "metric",
    "metrics", "mindset", "mitigate", "mitigated", "mitigating", "mitigation", "mitigations",
    "mode", "modes", "monitor", "monitored", "monitoring", "move", "necessary", "need", "needs",
    "observability", "observe", "offs", "option", "options", "outage", "outcome", "outcomes",
    "overall", "owner", "owners", "ownership", "p50", "p90", "p95", "p99", "p999", "part",
    "pattern", "patterns", "people", "percentile", "percentiles", "performance", "perspective",
    "plan", "planning", "plans", "point", "points", "postmortem", "postmortems", "potential",
    "practice", "practices", "prevent", "prevention", "prevents", "principle", "principles",
    "prioritize", "priorities", "priority", "proactive", "proactively", "problem", "problems",
    "process", "processes", "product", "proper", "properly", "pros", "cons", "quality",
    "question", "questions", "rationale", "reason", "reasoning", "reasons", "recent", "recently",
    "recommend", "recommendation", "recurrence", "relevant", "reliability", "reliable",
    "requirement", "requirements", "resilience", "resilient", "resolution", "resolve", "resolved",
    "resource", "resources", "responsibility", "responsible", "result", "results", "retro",
    "retrospective", "reversibility", "reversible", "irreversible", "review", "reviews", "right",
    "risk", "risks", "robust", "rollback", "rollbacks", "root", "runbook", "runbooks", "safe",
    "safely", "scalability", "scalable", "scale", "scaling", "scenario", "scenarios", "service",
    "services", "severity", "signal", "signals", "situation", "sla", "slas", "sli", "slis", "slo",
    "slos", "solution", "solutions", "solve", "specific", "stability", "stable", "stakeholder",
    "stakeholders", "step", "steps", "strategy", "structured", "success", "symptom", "symptoms",
    "system", "systems", "systematic", "systematically", "takeaway", "takeaways", "team", "teams",
    "technical", "technology", "telemetry", "test", "tested", "testing", "tests", "theory",
    "thing", "things", "think", "thinking", "thorough", "thoroughly", "timeline", "timely",
    "tool", "tools", "tooling", "trace", "traces", "tracing", "trade", "tradeoff", "tradeoffs",
    "transparency", "transparent", "transparently", "trend", "trends", "triage", "understand",
    "understanding", "update", "updates", "upside", "upsides", "upstream", "user", "users",
    "validate", "validated", "validation", "value", "verify", "verified", "visibility", "way",
    "ways", "weigh", "weighing", "whole", "work", "workaround", "workarounds", "working",
];

/// Roles and parties a candidate can name: concrete people to talk to, unlike "stakeholders".
pub const ROLES: &[&str] = &[
    "pm", "pms", "cto", "ceo", "cfo", "ciso", "vp", "director", "dba", "dbas", "sre", "sres",
    "oncall", "support", "finance", "legal", "sales", "marketing", "security", "compliance",
    "vendor", "vendors", "provider", "platform", "ops", "qa", "designer", "designers", "auditor",
    "auditors", "regulator", "partner", "partners", "manager", "lead", "director", "founder",
    "founders", "cs", "accountant", "accounting", "merchant", "merchants", "seller", "sellers",
    "buyer", "buyers", "driver", "drivers", "tenant", "tenants", "mobile", "android", "ios",
];

/// Times and calendar words that pin a sentence to when something happened.
pub const TIMES: &[&str] = &[
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekend",
    "weekday", "morning", "afternoon", "evening", "night", "overnight", "midnight", "noon",
    "hourly", "nightly", "daily", "weekly", "monthly", "quarter", "quarterly", "january",
    "february", "march", "april", "june", "july", "august", "september", "october", "november",
    "december", "am", "pm", "yesterday", "tonight",
];

/// Technical nouns of backend work: naming one ties a sentence to a mechanism, even when the
/// scenario did not supply it.
pub const TECHNICAL: &[&str] = &[
    "api", "apis", "endpoint", "endpoints", "queue", "queues", "worker", "workers", "consumer",
    "consumers", "producer", "producers", "broker", "topic", "topics", "partition", "partitions",
    "offset", "offsets", "lag", "batch", "batches", "cache", "caches", "cached", "caching", "ttl",
    "ttls", "index", "indexes", "indices", "replica", "replicas", "primary", "shard", "shards",
    "lock", "locks", "locking", "pool", "pools", "connection", "connections", "thread",
    "threads", "heap", "gc", "cpu", "memory", "disk", "iops", "io", "network", "bandwidth",
    "dns", "tls", "certificate", "certificates", "cert", "hash", "hashing", "bcrypt", "argon2",
    "token", "tokens", "session", "sessions", "cookie", "cookies", "header", "headers", "schema",
    "migration", "migrations", "column", "columns", "table", "tables", "row", "rows", "query",
    "queries", "join", "joins", "transaction", "transactions", "deadlock", "deadlocks", "vacuum",
    "snapshot", "snapshots", "bucket", "buckets", "object", "objects", "storage", "cdn",
    "region", "regions", "zone", "zones", "failover", "balancer", "ingress", "pod", "pods",
    "node", "nodes", "container", "containers", "image", "images", "kafka", "sqs", "sns",
    "rabbitmq", "redis", "memcached", "postgres", "postgresql", "mysql", "dynamodb", "mongodb",
    "elasticsearch", "s3", "lambda", "kubernetes", "k8s", "terraform", "nginx", "grpc", "http",
    "https", "json", "csv", "xml", "webhook", "webhooks", "cron", "scheduler", "timeout",
    "timeouts", "retry", "retries", "backoff", "jitter", "idempotent", "idempotency", "dedupe",
    "deduplication", "backfill", "backfills", "replay", "rate", "limiter", "throttle",
    "throttling", "throttled", "quota", "quotas", "canary", "flag", "flags", "toggle", "rollout",
    "revert", "feature", "sdk", "client", "clients", "server", "servers", "browser", "payload",
    "payloads", "file", "files", "upload", "uploads", "checksum", "encryption", "key", "keys",
    "secret", "secrets", "permission", "permissions", "role", "audit", "ledger", "invoice",
    "invoices", "payment", "payments", "refund", "refunds", "order", "orders", "cart", "checkout",
    "inventory", "stock", "price", "prices", "pricing", "search", "feed", "notification",
    "notifications", "email", "emails", "sms", "push", "login", "password", "passwords", "auth",
    "oauth", "jwt", "account", "accounts", "tenant", "replication", "consistency", "eventual",
    "outbox", "saga", "stream", "streams", "streaming", "pipeline", "pipelines", "etl",
    "warehouse", "bigquery", "snowflake", "retention", "archive", "archival", "cold", "hot",
    "tier", "tiers", "ci", "build", "builds", "release", "releases", "version", "versions",
    "histogram", "heatmap", "profiler", "profile", "flamegraph", "explain", "trace", "span",
    "spans", "sample", "sampling", "shadow", "dual", "writes", "reads", "write", "read",
];

/// Words that only decorate: salad reads as a stack of these with no reason or cost attached.
pub const BUZZWORDS: &[&[&str]] = &[
    &["infinite"],
    &["infinitely"],
    &["limitless"],
    &["unlimited", "scale"],
    &["unlimited", "scalability"],
    &["future", "proof"],
    &["futureproof"],
    &["cutting", "edge"],
    &["bleeding", "edge"],
    &["state", "of", "the", "art"],
    &["next", "generation"],
    &["next", "gen"],
    &["world", "class"],
    &["best", "in", "class"],
    &["best", "of", "breed"],
    &["seamless"],
    &["seamlessly"],
    &["effortless"],
    &["effortlessly"],
    &["blazing"],
    &["lightning", "fast"],
    &["game", "changer"],
    &["game", "changing"],
    &["revolutionary"],
    &["revolutionize"],
    &["synergy"],
    &["synergies"],
    &["paradigm"],
    &["disruptive"],
    &["hyper", "scale"],
    &["hyperscale"],
    &["web", "scale"],
    &["bulletproof"],
    &["simply", "disappear"],
    &["simply", "disappears"],
    &["just", "disappear"],
    &["magically"],
    &["magic"],
    &["zero", "downtime", "forever"],
    &["never", "go", "down"],
    &["never", "goes", "down"],
    &["any", "scale"],
    &["massively"],
    &["enterprise", "grade"],
    &["military", "grade"],
    &["ai", "powered"],
    &["cloud", "native"],
    &["self", "healing"],
    &["fully", "automated"],
    &["single", "pane", "of", "glass"],
];

/// Phrases that mock or wave away what they name: sarcasm says the words of the rubric to deny
/// them, so a unit that carries one earns nothing.
/// Phrases that mock what they name: sarcasm says the words of the rubric to deny them, so a
/// unit that carries one earns nothing.
pub const MOCKERY: &[&[&str]] = &[
    &["buzzword"],
    &["buzzwords"],
    &["bingo"],
    &["box", "ticking"],
    &["tick", "the", "box"],
    &["tick", "the", "boxes"],
    &["tick", "a", "box"],
    &["checkbox"],
    &["checkboxes"],
    &["ceremony"],
    &["ceremonies"],
    &["theater"],
    &["theatre"],
    &["yeah", "right"],
    &["lol"],
    &["because", "that", "always", "works"],
    &["that", "always", "works"],
    &["what", "could", "possibly", "go", "wrong"],
    &["as", "the", "books", "say"],
    &["as", "the", "book", "says"],
    &["textbook", "answer"],
    &["so", "called"],
    &["hand", "wringing"],
    &["navel", "gazing"],
    &["warm", "and", "fuzzy"],
    &["kumbaya"],
    &["blah"],
    &["pretend"],
    &["pretending"],
    &["performative"],
    &["for", "the", "slide", "deck"],
    &["make", "everyone", "feel"],
    &["feel", "good", "exercise"],
    &["worst", "that", "could", "happen"],
    &["what", "could", "go", "wrong"],
    &["sacrifice", "a"],
    &["gods"],
    &["for", "luck"],
    &["who", "needs"],
    &["ah", "yes"],
    &["oh", "yes"],
    &["masterpiece"],
    &["genius"],
    &["anyone", "has", "ever"],
    &["it", "is", "a", "feature"],
    &["it", "is", "never"],
    &["pray"],
    &["praying"],
    &["voodoo"],
    &["crystal", "ball"],
    &["wing", "it"],
];

/// Weaker irony markers: common in honest speech, so they only count beside stronger mockery.
pub const IRONY: &[&[&str]] = &[
    &["obviously"],
    &["of", "course"],
    &["apparently"],
    &["allegedly"],
    &["supposedly"],
    &["whatever"],
    &["sacred"],
    &["ritual"],
    &["rituals"],
    &["mantra"],
    &["heaven", "forbid"],
    &["god", "forbid"],
    &["sure"],
    &["easy"],
    &["oh"],
];

/// Dismissals of an act: "no need to", "I would not bother", "pointless". The act named after one
/// is refused, not done.
pub const DISMISSALS: &[&[&str]] = &[
    &["no", "need"],
    &["no", "point"],
    &["not", "bother"],
    &["not", "worth"],
    &["not", "needed"],
    &["not", "necessary"],
    &["no", "reason", "to"],
    &["pointless"],
    &["waste", "of", "time"],
    &["overkill"],
    &["overrated"],
    &["skip", "the"],
    &["forget", "the"],
    &["forget", "about"],
    &["do", "not", "need", "to"],
    &["why", "would"],
    &["why", "bother"],
    &["nobody", "needs"],
    &["no", "one", "needs"],
    &["unnecessary"],
    &["irrelevant"],
    &["not", "my", "job"],
    &["not", "my", "problem"],
];

macro_rules! lookup {
    ($name:ident, $list:ident, $doc:literal) => {
        #[doc = $doc]
        pub fn $name(word: &str) -> bool {
            static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
            SET.get_or_init(|| set($list)).contains(word)
        }
    };
}

lookup!(is_generic, GENERIC, "True for a word of the interview-virtue vocabulary.");
lookup!(is_role, ROLES, "True for a named role or party.");
lookup!(is_time, TIMES, "True for a calendar or time-of-day word.");
lookup!(is_technical, TECHNICAL, "True for a technical noun of backend work.");

/// Index of the first word of each phrase of `phrases` that starts at a token of `words`.
pub fn phrase_starts(words: &[&str], phrases: &[&[&str]]) -> Vec<usize> {
    (0..words.len())
        .filter(|&i| {
            phrases
                .iter()
                .any(|p| super::lexicon::phrase_at(words, i, p))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_hold_normalised_tokens() {
        for list in [GENERIC, ROLES, TIMES, TECHNICAL] {
            for w in list {
                assert_eq!(
                    *w,
                    w.to_lowercase(),
                    "`{w}` must be lower case to ever match"
                );
                assert!(!w.contains(' '), "`{w}` must be one token");
            }
        }
    }

    #[test]
    fn phrases_are_found_where_they_start() {
        let words = ["no", "need", "to", "loop", "in", "the", "dba"];
        assert_eq!(phrase_starts(&words, DISMISSALS), vec![0]);
        assert!(phrase_starts(&["future", "proof", "design"], BUZZWORDS) == vec![0]);
        assert!(phrase_starts(&["we", "roll", "back"], MOCKERY).is_empty());
    }
}
