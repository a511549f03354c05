//! The scorer judges substance, not vocabulary (issue 13): answers written here, in voices the
//! rubric was not written from, against built-in questions.
//!
//! Recital of interview virtues with nothing from the scenario stays low and is flagged; plain
//! words that do the thing earn it; mockery and the scenario's trap earn nothing; a Markdown
//! answer is an answer.

use rehearse::answer::Answer;
use rehearse::model::pack::{Dimension, Question};
use rehearse::rubric::{CompiledRubric, Evaluation, score};

fn question(id: &str) -> Question {
    let pack = rehearse::pack::builtin::pack().expect("built-in pack");
    pack.questions
        .iter()
        .find(|q| q.id == id)
        .unwrap_or_else(|| panic!("no built-in question {id}"))
        .clone()
}

fn judge(id: &str, text: &str) -> Evaluation {
    score(
        CompiledRubric::builtin(),
        &question(id),
        &Answer::whole(text),
    )
}

fn earned(e: &Evaluation, criterion: &str) -> bool {
    e.dimensions
        .iter()
        .any(|(_, d)| d.hits.iter().any(|h| h.criterion == criterion))
}

/// Asserts that each `(line, criterion)` of `cases`, said after `opening` in an answer to
/// `question`, earns its criterion; a failure shows the `dimension`'s result.
fn each_line_earns(question: &str, opening: &str, cases: &[(&str, &str)], dimension: Dimension) {
    for (line, criterion) in cases {
        let e = judge(question, &format!("{opening} {line}"));
        assert!(
            earned(&e, criterion),
            "{criterion} not earned by {line:?}: {:#?}",
            e.dimension(dimension)
        );
    }
}

/// Asserts that no dimension of `e` is above Emerging; `what` names the answer in the message.
fn at_most_emerging(e: &Evaluation, what: &str) {
    for d in Dimension::ALL {
        assert!(
            e.dimension(d).level <= 2,
            "{what}: {} is {} ({})",
            d.title(),
            e.dimension(d).label,
            e.dimension(d).score
        );
    }
}

const RECITAL: &str = "First I would look at the dashboards to check what changed recently and \
    whether p99 differs from p50. Then I would form a few hypotheses, compare two options and \
    pick one, because it costs less. I would involve the other teams, tell stakeholders about the \
    impact on users, mitigate first, and write a blameless postmortem with owners for the \
    actions. In short, I would investigate carefully before acting and keep everyone informed.";

#[test]
fn recital_fits_any_question_and_stays_at_emerging() {
    for id in [
        "stock-events-consumer-lag",
        "product-pages-stall-on-the-hour",
    ] {
        let e = judge(id, RECITAL);
        assert!(e.has_flag("generic"), "{id}: {:?}", e.flags);
        at_most_emerging(&e, id);
    }
}

#[test]
fn mocking_the_rubric_earns_nothing() {
    let text = "Sure, we could \"build context\" for a week while checkout burns. Then we \
        'weigh the trade-offs' in a meeting, hold the usual postmortem theatre, and tick the \
        box marked 'communicate with stakeholders'. What could possibly go wrong?";
    let e = judge("product-pages-stall-on-the-hour", text);
    assert!(e.has_flag("mocking"), "{:?}", e.flags);
    assert!(e.overall.level <= 2);
}

#[test]
fn dismissed_acts_are_not_done() {
    let plain = judge(
        "stock-events-consumer-lag",
        "I would loop in the team that owns the stock events topic and ask what they deployed.",
    );
    let dismissed = judge(
        "stock-events-consumer-lag",
        "No need to loop in the team that owns the stock events topic, I would just restart it.",
    );
    assert!(earned(&plain, "involves-others"));
    assert!(!earned(&dismissed, "involves-others"));
}

#[test]
fn blanket_actions_are_not_mitigation() {
    let e = judge(
        "product-pages-stall-on-the-hour",
        "Scale up everything, add a cache, and switch off the recommendations widget to be safe.",
    );
    assert!(
        !earned(&e, "mitigates-first"),
        "{:?}",
        e.dimension(Dimension::Ownership).hits
    );
}

#[test]
fn plain_words_earn_what_they_mean() {
    let e = judge(
        "product-pages-stall-on-the-hour",
        "I'd want to know what shipped on Monday. The catalogue team owns that cache change, so \
         I'd pair with them on the revert. PM gets a one-liner: product pages are slow on the \
         hour, about 60,000 slow loads an hour, fix going out today. Then a check in CI so nobody \
         can ship a cache config like that again.",
    );
    for criterion in [
        "asks-what-changed",
        "involves-others",
        "keeps-people-informed",
        "prevents-recurrence",
    ] {
        assert!(
            earned(&e, criterion),
            "{criterion} not earned: {:?}",
            e.dimensions
        );
    }
}

#[test]
fn terse_option_lines_weigh_options_and_decide() {
    let text = "- Separate lane for big uploads: small files stay fast; one more queue to own.\n\
        - Scale the workers: minutes to do, reversible, costs money, only helps if CPU-bound.\n\
        - Pick: the separate lane now, scale-up while it ships.\n";
    let e = judge("stock-events-consumer-lag", text);
    let pack = rehearse::pack::builtin::pack().expect("built-in pack");
    let trade = pack
        .questions
        .iter()
        .find(|q| q.kind == rehearse::model::pack::Kind::TradeOff)
        .expect("a trade-off question");
    let t = score(CompiledRubric::builtin(), trade, &Answer::whole(text));
    assert!(
        earned(&t, "compares-options"),
        "{:?}",
        t.dimension(Dimension::TradeOffs)
    );
    assert!(earned(&t, "names-cost"));
    assert!(earned(&t, "decides"));
    // The same lines carry no weight as a decision in a degradation, whose criteria differ.
    assert!(!earned(&e, "decides"));
}

/// Ownership said plainly, in three voices, to a trade-off question: a small first rollout with
/// the old path a flag away, the escalated accounts called in person, a second look after a few
/// Mondays, the decision written down.
const OWNERSHIP_VOICES: [(&str, &str); 3] = [
    (
        "plain",
        "Before I change anything I want the split between scheduled and on-demand exports per \
         hour. Moving the scheduled ones to Sunday night is cheap but the files are a few hours \
         older; a separate lane for on-demand exports keeps people who click waiting minutes, but \
         scheduled ones still pile up. I'd do the night window first because it is a config \
         change. The two accounts that Sales escalated get a call from me this week with what we \
         are changing and when. I'd ship it to ten tenants first and keep the old schedule one \
         flag away. Three Mondays later I look at the numbers again and write down what we \
         decided and why, so the next person does not just add workers.",
    ),
    (
        "british",
        "What I'd want to know is how much of Monday is the scheduled lot. Move the scheduled \
         runs into the quiet hours on Sunday, which costs little but means staler files, or \
         ring-fence some workers for people pressing the button. On balance I'd start with the \
         Sunday move. I'd take it out to a handful of tenants first, with the old timetable a \
         switch away, and I'd sit down with the two accounts Sales is worried about myself \
         rather than leave it to a ticket. It's only done once Monday looks dull: I'd watch the \
         age of the oldest export and the replica CPU at night, and check back after a few \
         Mondays.",
    ),
    (
        "ownership-of-the-call",
        "The scheduled exports are 60% of Monday, so I'd move them to Sunday night, cheaper than \
         more workers on the replica but the files are older. The mistake, mine, was letting \
         scheduled and on-demand exports share one queue. I'd ship it to a few tenants first and \
         keep the old schedule one flag away.",
    ),
];

#[test]
fn plain_ownership_earns_in_every_voice() {
    let expected: [&[&str]; 3] = [
        &[
            "involves-others",
            "changes-safely",
            "owns-the-follow-through",
        ],
        &[
            "involves-others",
            "changes-safely",
            "owns-the-follow-through",
        ],
        &["changes-safely"],
    ];
    for ((voice, text), criteria) in OWNERSHIP_VOICES.iter().zip(expected) {
        let e = judge("export-queue-backpressure", text);
        for c in criteria {
            assert!(
                earned(&e, c),
                "{voice}: {c} not earned: {:#?}",
                e.dimension(Dimension::Ownership)
            );
        }
    }
    let plain = judge("export-queue-backpressure", OWNERSHIP_VOICES[0].1);
    assert!(
        plain.dimension(Dimension::Ownership).level >= 3,
        "{:#?}",
        plain.dimension(Dimension::Ownership)
    );
}

#[test]
fn a_decision_ducked_with_going_to_is_still_ducked() {
    let e = judge(
        "export-queue-backpressure",
        "I'm not going to ask about export volumes, the replica or who uses the scheduled reports; \
         none of that matters. Add workers.",
    );
    assert!(
        !earned(&e, "asks-volumes"),
        "{:#?}",
        e.dimension(Dimension::Context)
    );
    assert!(e.dimension(Dimension::Context).level <= 2);
}

/// Gains and costs named in plain words ("quick, but", "it's cheap") count, yet they are not a
/// strong trade-off on their own: with no two options side by side and no choice, trade-offs
/// stop below Strong and the flag says what is missing; choosing lifts the cap.
#[test]
fn gains_and_costs_without_a_choice_are_not_strong() {
    let design = "We have to count every usage event per customer accurately for invoices and \
        show usage on the dashboard within an hour. The dashboard reads an hourly table and \
        billing sums its rows at the end of the month. Services send usage events to Kafka, \
        which can handle the 2.5 billion events \
        and keeps them if the consumer is down, but it is another system to operate. Hourly \
        aggregation into Postgres is cheap but the dashboard is up to one hour old. If the \
        consumer crashes it restarts from the last offset, so some events might be counted \
        twice; an event id stops that. Our biggest customer sends about 40 million events a \
        day from its mobile SDK and its batch exporter, finance closes invoices on the third \
        working day, and support answers disputes from the monthly CSV export, so late events \
        from offline phones must land in the right hour. Retention on the topic is seven days, \
        partitions are keyed by customer id, and a replay after an outage reads the backlog at \
        about ten times the normal rate.";
    let q = question("usage-metering-for-billing");
    let plain = score(CompiledRubric::builtin(), &q, &Answer::whole(design));
    assert!(
        earned(&plain, "names-cost"),
        "{:?}",
        plain.dimension(Dimension::TradeOffs)
    );
    let t = plain.dimension(Dimension::TradeOffs);
    assert!(t.level < 4, "{} {}", t.label, t.score);
    assert!(plain.has_flag("strong-needs"), "{:?}", plain.flags);
    let chosen = format!(
        "{design} Per-event rows in Postgres would be simpler to query, but at this volume \
         the table grows by billions of rows a month, so I'd go with Kafka and hourly rows."
    );
    let decided = score(CompiledRubric::builtin(), &q, &Answer::whole(&chosen));
    assert!(
        earned(&decided, "decides"),
        "{:?}",
        decided.dimension(Dimension::TradeOffs)
    );
    assert!(!decided.has_flag("strong-needs"), "{:?}", decided.flags);
    assert!(decided.dimension(Dimension::TradeOffs).score > t.score);
}

#[test]
fn a_roll_call_of_virtues_is_a_keyword_list_even_with_the_scenario_pinned_on() {
    let text = "I would clarify the context, the recent changes, the root cause and the risk, \
        and then consider hypotheses, options, trade-offs, costs, benefits and reversibility for \
        the stock events consumer. Afterwards I'd cover monitoring, alerting, mitigation, \
        communication with support and product, a blameless postmortem, prevention, \
        documentation and follow-through, owning the consumer lag and the topic end to end.";
    let e = judge("stock-events-consumer-lag", text);
    assert!(e.has_flag("keyword-stuffing"), "{:?}", e.flags);
    at_most_emerging(&e, "the answer");
    // A dense line of the scenario's own actions is not a roll call.
    let terse = judge(
        "stock-events-consumer-lag",
        "After: replay the skipped offsets with the inventory team, alert on consumer lag over \
         five minutes, an idempotency key per stock event, watch the next sale live, a short \
         write-up for support.",
    );
    assert!(!terse.has_flag("keyword-stuffing"), "{:?}", terse.flags);
}

#[test]
fn a_good_answer_to_a_neighbouring_question_is_off_topic() {
    // A question in the shape outside graded sets use: title and prompt only.
    let question = Question::minimal(
        "library-holds-retrospective",
        rehearse::model::pack::Kind::Retrospective,
        "Book holds kept in one cron job",
        "Four years ago you built the hold queue for a city library network: a nightly cron job \
         walks every reservation and assigns returned copies to the next reader in line. It \
         suited 12 branches and 40,000 loans a month. There are now 61 branches and mobile \
         renewals; readers wait a day for a copy sitting on the shelf, and last week the job \
         overran into opening hours and assigned one copy to two readers. Looking back, what \
         would you change today, and what would you keep?",
    );
    // About recommending books: well reasoned, and never about the hold queue, the cron job,
    // the overrun or the double assignment.
    let text = "Good reading recommendations start from what borrowers finish, not what they \
        click. Collaborative filtering on loan histories works once a title has a few dozen \
        borrowers, but new acquisitions have none, so I'd blend in subject headings and \
        author similarity for the cold start. Librarians' curated lists are a strong signal \
        and cheap to include. Across branches, readers respond best when a suggested title is \
        on the shelf nearby. I'd measure success by how many recommended titles are borrowed \
        within a month and by how diverse the borrowed authors are, because a system that \
        only pushes bestsellers narrows what people read. Privacy matters too: reading history \
        is sensitive, so recommendations should be computed without keeping loans longer \
        than the law allows.";
    let e = score(CompiledRubric::builtin(), &question, &Answer::whole(text));
    assert!(e.has_flag("off-topic"), "{:?}", e.flags);
    assert!(
        e.overall.level <= 2,
        "{} ({})",
        e.overall.label,
        e.overall.score
    );
}

#[test]
fn a_catalogue_of_components_is_a_keyword_list_too() {
    let text = "My design would include requirements gathering, capacity estimates, a queue, \
        rate limiting, a delivery service, idempotency keys, signatures, retries with backoff, \
        dead letters, timeouts and circuit breakers for the merchants' webhooks. Operationally \
        I'd add monitoring, alerting, dashboards, runbooks, on-call ownership, replay tooling \
        and a feedback loop, so the webhook platform is reliable, scalable and cost-effective \
        end to end.";
    let e = judge("outbound-webhook-platform", text);
    assert!(e.has_flag("keyword-stuffing"), "{:?}", e.flags);
    at_most_emerging(&e, "the answer");
}

#[test]
fn the_interviewer_s_lines_in_a_dialogue_earn_nothing() {
    let text = "Me: Before touching the consumers again, is the lag on every partition or a few?\n\
        Interviewer: Four partitions hold 90% of it, since 07:30, about 2.3 million messages.\n\
        Me: Then I'd look at what those partitions carry and whether the partner API calls \
        sit on them, and I'd ask the warehouse team what they changed this morning.";
    let e = judge("stock-events-consumer-lag", text);
    for (_, d) in e.dimensions.iter() {
        for h in &d.hits {
            assert!(
                !h.excerpt.contains("Interviewer"),
                "{} quotes the interviewer: {}",
                h.criterion,
                h.excerpt
            );
        }
    }
    assert!(
        !earned(&e, "uses-numbers"),
        "the numbers are the interviewer's"
    );
}

#[test]
fn a_terse_decision_line_is_a_bottom_line() {
    let text = "Options:\n\
        - Scale consumers again: cheap, but CPU is 15% and lag grew faster last time.\n\
        - Cache the partner's enrichment per product: fast, but stale data for a while.\n\
        Go: cache the enrichment with a five-minute TTL, and pause the affected warehouses' \
        listings until lag is under a minute.";
    let e = judge("stock-events-consumer-lag", text);
    assert!(
        earned(&e, "bottom-line"),
        "{:?}",
        e.dimension(Dimension::Communication)
    );
}

/// Follow-through written as a terse list of what happens after the decision: each item in
/// words no interview guide uses, each a different ownership criterion.
#[test]
fn terse_follow_through_items_earn_ownership() {
    let cases = [
        (
            "A note to the support team about the slower Sunday files.",
            "involves-others",
        ),
        (
            "A dry run next Tuesday with two friendly tenants.",
            "changes-safely",
        ),
        (
            "Run both schedulers and compare old and new for a fortnight before switching over.",
            "changes-safely",
        ),
        (
            "Every scheduled export gets an owner and a review date.",
            "prevents-recurrence",
        ),
        (
            "A nightly job lists every tenant whose export row count differs from the source.",
            "watches-for-failure",
        ),
        (
            "Tenants whose Monday export never arrived get the missing files resent, and we \
             keep at it until the backlog is zero.",
            "owns-the-follow-through",
        ),
        (
            "A weekly count of late exports against last month's.",
            "owns-the-follow-through",
        ),
    ];
    each_line_earns(
        "export-queue-backpressure",
        "The scheduled exports are most of Monday, so I'd move them to Sunday night: cheaper \
         than more replica workers, but the files are a day older.",
        &cases,
        Dimension::Ownership,
    );
}

/// A trade-off answered by looking at what went wrong before choosing builds context like an
/// incident answer does; and the choice itself counts once, as a decision, not again as
/// ownership ("decides under uncertainty" belongs to incidents and retrospectives).
#[test]
fn looking_before_choosing_is_context_in_a_trade_off_and_the_choice_counts_once() {
    let e = judge(
        "export-queue-backpressure",
        "Before choosing anything I'd look at last month's Mondays: how many of the exports were \
         scheduled and how long each waited. Moving the scheduled ones to Sunday night is cheap \
         but the files are older; I'd make the call this week and go with Sunday night.",
    );
    assert!(
        earned(&e, "diagnoses-before-acting"),
        "{:#?}",
        e.dimension(Dimension::Context)
    );
    let ownership = e.dimension(Dimension::Ownership);
    assert!(
        ownership
            .hits
            .iter()
            .map(|h| &h.criterion)
            .chain(ownership.misses.iter().map(|m| &m.criterion))
            .all(|c| c != "decides-under-uncertainty"),
        "{ownership:#?}"
    );
}

/// A question in the shape outside graded sets use, whose scenario mentions a second project in
/// passing: an answer about that project shares the scenario's nouns but not its ask.
fn search_vendor_question() -> Question {
    Question::minimal(
        "managed-search-vendor",
        rehearse::model::pack::Kind::TradeOff,
        "Replace the self-hosted recipe search with a managed search service?",
        "Our recipe site's search runs on a self-hosted cluster of six nodes that two engineers \
         patch by hand. The analytics pipeline moves to a new warehouse in March, and the \
         mobile app is being rebuilt for the autumn. Reindexing the 900,000 recipes takes four \
         hours and blocks every schema change. A vendor offers managed search at $4,000 a \
         month with typo tolerance built in. The CTO wants the vendor contract signed this \
         month. Would you adopt it, and how?",
    )
}

#[test]
fn an_answer_about_the_project_mentioned_in_passing_misses_the_ask() {
    let neighbour = "For the March move I'd run the old and new analytics pipelines side by \
        side for two weeks and compare daily event counts per table, so nobody finds a gap in \
        the dashboards after the cutover. The recipe events from the mobile app carry an app \
        version, which lets us spot the autumn rebuild's traffic separately. I'd backfill a \
        year of history into the warehouse first, freeze the old pipeline's schema during the \
        move, and give the analysts a short list of which reports change. Costs in the new \
        warehouse grow with scanned bytes, so partition the big tables by day from the start.";
    let e = score(
        CompiledRubric::builtin(),
        &search_vendor_question(),
        &Answer::whole(neighbour),
    );
    assert!(e.has_flag("misses-the-ask"), "{:?}", e.flags);
    at_most_emerging(&e, "answer about the analytics move");

    // A real answer, in words of its own, is not flagged.
    let answer = "Before signing I'd ask what hurts most: the four-hour reindex or the hand \
        patching. $4,000 a month is less than a third of one engineer, and typo tolerance is \
        something we'd never build ourselves. The catch is lock-in: our ranking tweaks would \
        live in their console. I'd point a copy of our top 1,000 queries at the managed \
        service for two weeks and compare click-through with today's cluster, and sign only \
        if it is at least as good; otherwise we script the patching and keep the cluster. \
        Either way I'd keep the old cluster running for a month after the switch.";
    let e = score(
        CompiledRubric::builtin(),
        &search_vendor_question(),
        &Answer::whole(answer),
    );
    assert!(!e.has_flag("misses-the-ask"), "{:?}", e.flags);
    assert!(!e.has_flag("off-topic"), "{:?}", e.flags);
}

/// "Could also" opens an option only when someone would do it: "the vacuum schedule could also
/// be involved" is a hypothesis. "I'd rather do the incremental version now" sets two options
/// side by side without the word "option".
#[test]
fn an_option_is_something_someone_would_do() {
    let hypothesis = judge(
        "stock-events-consumer-lag",
        "The vacuum schedule could also be involved, so I'd ask the DBA team to look at it \
         with me before we change anything on the consumers.",
    );
    assert!(
        !earned(&hypothesis, "compares-options"),
        "{:#?}",
        hypothesis.dimension(Dimension::TradeOffs)
    );
    let choice = judge(
        "export-queue-backpressure",
        "A rewrite might be where we end up, but with three of us I'd rather do the incremental \
         version now: move the scheduled exports to Sunday night and revisit after the peak.",
    );
    assert!(
        earned(&choice, "compares-options"),
        "{:#?}",
        choice.dimension(Dimension::TradeOffs)
    );
}

/// Building context said the way people think aloud in an incident, each line a different
/// context criterion.
#[test]
fn thinking_aloud_in_an_incident_builds_context() {
    let cases = [
        (
            "Smells like a retry loop in the new client to me.",
            "states-hypotheses",
        ),
        (
            "The nightly compaction job? Doubt it, that runs at 2am.",
            "states-hypotheses",
        ),
        (
            "First thing I'd do is group the lagging partitions by broker.",
            "diagnoses-before-acting",
        ),
        (
            "If the consumer logs show a rebalance every few minutes, that answers it.",
            "tests-hypotheses",
        ),
        (
            "Which makes me look at the client upgrade and the broker patch.",
            "asks-what-changed",
        ),
        (
            "I'd want to see which partitions lag and since when.",
            "diagnoses-before-acting",
        ),
    ];
    each_line_earns(
        "stock-events-consumer-lag",
        "Stock updates are landing minutes late on the product pages.",
        &cases,
        Dimension::Context,
    );
}

/// A design question whose ask is a tension, answered with the incident the system might have
/// one day: the answer takes up the scenario but leaves the ask alone.
#[test]
fn an_incident_answer_to_a_design_tension_misses_the_ask() {
    let question = Question::minimal(
        "cinema-seat-holds",
        rehearse::model::pack::Kind::SystemDesign,
        "Seat holds for a cinema chain's booking site",
        "Design seat holds for a chain of 90 cinemas: a customer picks seats, we hold them while \
         they pay, and release them if payment does not finish. Friday evening peaks at about \
         3,000 bookings a minute for a blockbuster opening. Follow-up tension: marketing wants \
         holds of fifteen minutes so nobody loses seats while typing card details, while the \
         cinema managers say long holds leave premieres looking sold out when half the seats \
         are only held. How does your design handle that?",
    );
    let text = "If bookings start failing on a Friday evening, the first job is selling tickets: \
        the box office takes walk-ups and we put a banner on the site while we look. Then I'd \
        narrow it down: is it one cinema or all 90, the payment provider or our own database, \
        and did anything deploy today? A spike at 3,000 bookings a minute could hit a \
        connection limit. If a deploy did it, roll it back; if it's the provider, fail over \
        to the second one. Afterwards, count the customers who were charged without a ticket, \
        refund them with the support team, and write up the timeline so the next opening has \
        a runbook.";
    let e = score(CompiledRubric::builtin(), &question, &Answer::whole(text));
    assert!(e.has_flag("misses-the-ask"), "{:?}", e.flags);
    at_most_emerging(&e, "incident answer to a design tension");
}

/// The same acts, about little or about the situation: an answer that names the right moves in a
/// sentence each ("check what changed, form hypotheses, involve the team") is worth less to an
/// interviewer than one that does them with the scenario's partitions, pods, partner API and
/// cancelled orders. The thin one keeps a share of its substance scores and is told why; the
/// deep one is not flagged.
#[test]
fn an_answer_about_little_is_worth_less_than_one_about_the_situation() {
    let thin = "First I'd check what changed this morning and look at the consumer lag. Then I'd \
        form a couple of hypotheses and test them before acting. I'd involve the other team and \
        keep customer service updated about the orders. Once I know which cause it is, I'd pick \
        the safest fix for the consumers and explain to the business what it means for orders. \
        Afterwards I'd add an alert on the lag and write a short review.";
    let deep = "First I'd check what changed this morning: any deploy of the consumer, the \
        warehouse partner's API, a config change to the Postgres pool. Scaling from 12 to 36 pods \
        on 24 partitions left 12 pods idle and caused rebalances, and CPU at 15% says the \
        consumers are waiting, not working: my first hypothesis is the partner API call for \
        enrichment getting slow, the second is lock waits on the availability rows. I'd test \
        them by comparing p99 of the partner call with last Monday and looking at \
        pg_stat_activity. I'd scale back to 24 pods and ask the partner team about their \
        latency since 07:30. Customer service should stop orders only for the two affected \
        warehouses, with the 1.8% cancellations as the number to watch. Afterwards I'd add an \
        alert on lag over 100k messages, a timeout on the enrichment call, and write a short \
        review with the partner.";
    let thin = judge("stock-events-consumer-lag", thin);
    let deep = judge("stock-events-consumer-lag", deep);
    assert!(thin.has_flag("shallow"), "{:?}", thin.flags);
    assert!(!deep.has_flag("shallow"), "{:?}", deep.flags);
    for d in [Dimension::Context, Dimension::Ownership] {
        assert!(
            thin.dimension(d).score < deep.dimension(d).score,
            "{d}: thin {} >= deep {}",
            thin.dimension(d).score,
            deep.dimension(d).score
        );
    }
    assert!(thin.overall.score < deep.overall.score);
    assert!(thin.dimension(Dimension::Context).level < 4);
}

/// The evidence is the evidence: a vendor's status page read as a clue is context, not keeping
/// anyone informed; posting to ours is.
#[test]
fn reading_a_status_page_is_not_posting_to_one() {
    let opening = "First I'd check what changed this morning: the partner API, the consumer \
        deploy, the Postgres pool, and lag per partition since 07:30.";
    let read = judge(
        "stock-events-consumer-lag",
        &format!(
            "{opening} The partner's status page went red at 08:10, forty minutes after our lag \
             began, so I doubt they are the trigger."
        ),
    );
    assert!(
        !earned(&read, "keeps-people-informed"),
        "{:#?}",
        read.dimension(Dimension::Ownership)
    );
    assert!(
        !earned(&read, "involves-others"),
        "{:#?}",
        read.dimension(Dimension::Ownership)
    );
    let posted = judge(
        "stock-events-consumer-lag",
        &format!("{opening} I'd post on our status page every 30 minutes until the lag is gone."),
    );
    assert!(
        earned(&posted, "keeps-people-informed"),
        "{:#?}",
        posted.dimension(Dimension::Ownership)
    );
}

/// An answer that talks about the system in the prompt's own words but takes no view on what the
/// director wants (going to 50% tomorrow) answers a neighbouring question: how the experiment
/// platform should be built. It is flagged and held at Emerging; an answer that takes the
/// proposal up is not.
#[test]
fn an_answer_that_ignores_the_proposal_misses_the_ask() {
    let neighbour = "I'd rebuild how the experiment dashboard gets its numbers. Today the apps and \
        the backend each evaluate the feature flag with the third-party SDK, so group assignment \
        lives in three places. I'd have the backend assign the treatment or control group once \
        per user at login and send it to the Android, iOS and web apps, so every checkout event \
        carries the same group. Crash-free sessions, the p99 of the checkout endpoint and \
        conversion per platform would all be cut by group on the dashboard, with a daily job \
        that compares the SaaS flag service's exposure log with our own events and pages the \
        team when they disagree by more than a handful. The travel booking data stays in our \
        warehouse, and the dashboard reads one table keyed by user and experiment.";
    let e = judge("rollout-android-conversion-dip", neighbour);
    assert!(e.has_flag("misses-the-ask"), "{:?}", e.flags);
    at_most_emerging(&e, "the neighbouring answer");
    let answer = format!(
        "{neighbour} But for tomorrow: I would not go to 50% as planned until we know why \
         Android conversion fell; that is the reason to wait a day, and I'd tell the director so."
    );
    let e = judge("rollout-android-conversion-dip", &answer);
    assert!(!e.has_flag("misses-the-ask"), "{:?}", e.flags);
}
