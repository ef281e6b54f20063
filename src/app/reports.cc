#include "app/reports.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "app/ledger.h"
#include "playbook/steps.h"

namespace amends::app {

namespace {

using nlohmann::json;

constexpr auto kWeek = std::chrono::days(7);

json Opt(const std::optional<double>& v) { return v ? json(std::round(*v * 10) / 10) : json(nullptr); }

std::string Day(TimePoint t) { return FormatRfc3339(t).substr(0, 10); }

// The index of the week holding `t` among the weeks from `since` (a Monday), or -1 outside [since, until).
int WeekIndex(TimePoint since, TimePoint until, TimePoint t) {
    if (t < since || t >= until) return -1;
    return static_cast<int>((t - since) / std::chrono::duration_cast<Millis>(kWeek));
}

}  // namespace

TimePoint WeekStart(TimePoint t) {
    auto days = std::chrono::floor<std::chrono::days>(t);
    // 1970-01-01 was a Thursday: days since a Monday is (count + 3) mod 7.
    auto since_monday = ((days.time_since_epoch().count() % 7) + 7 + 3) % 7;
    return TimePoint(std::chrono::duration_cast<Millis>((days - std::chrono::days(since_monday)).time_since_epoch()));
}

std::optional<double> NearestRank(const std::vector<double>& sorted, double fraction) {
    if (sorted.empty()) return std::nullopt;
    auto rank = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

TeamReport BuildTeamReport(store::Tx& tx, const Recovery& recovery, const std::vector<status::Incident>& incidents,
                           TimePoint since, TimePoint until, const DebriefOptions& options) {
    TeamReport r;
    r.since = WeekStart(since);
    r.until = std::max(until, r.since);
    int weeks = static_cast<int>((r.until - r.since + std::chrono::duration_cast<Millis>(kWeek) - Millis(1)) /
                                 std::chrono::duration_cast<Millis>(kWeek));
    for (int i = 0; i < weeks; ++i) {
        TimePoint week = r.since + std::chrono::duration_cast<Millis>(kWeek) * i;
        r.acknowledge.push_back(AcknowledgeWeek{week});
        BreachWeek b{week};
        for (const auto& [clock, name] : playbook::kClockNames) b.by_clock.emplace_back(std::string(name), 0);
        r.breaches.push_back(std::move(b));
        r.followup.push_back(FollowupWeek{week});
    }

    // Time to acknowledge: each case opened in the window, its acknowledge step as the playbook derives it.
    std::vector<std::pair<Id, TimePoint>> opened;
    tx.ForEachCaseSince(r.since, [&](const Case& c) {
        if (c.created_at < r.until) opened.emplace_back(c.id, c.created_at);
    });
    std::vector<std::vector<double>> minutes(weeks);
    for (const auto& [id, created_at] : opened) {
        int w = WeekIndex(r.since, r.until, created_at);
        if (w < 0) continue;
        auto& week = r.acknowledge[w];
        ++week.cases;
        auto progress = recovery.ProgressOf(tx, id, r.until);
        if (!progress) continue;
        const auto& ack = progress->Of(playbook::Step::kAcknowledge);
        if (ack.state != playbook::StepState::kDone || !ack.done_at) continue;
        ++week.acknowledged;
        if (ack.due_at && *ack.done_at > *ack.due_at) ++week.late;
        minutes[w].push_back(std::chrono::duration<double, std::ratio<60>>(*ack.done_at - created_at).count());
    }
    for (int w = 0; w < weeks; ++w) {
        std::sort(minutes[w].begin(), minutes[w].end());
        r.acknowledge[w].median_minutes = NearestRank(minutes[w], 0.5);
        r.acknowledge[w].p90_minutes = NearestRank(minutes[w], 0.9);
    }

    // Breaches, by the week they were recorded, and follow-up answers, by the week they came.
    tx.ForEachEventOfType("clock.breached", r.since, r.until, [&](const Event& e) {
        int w = WeekIndex(r.since, r.until, e.at);
        if (w < 0) return;
        auto data = json::parse(e.data_json, nullptr, false);
        std::string clock = data.is_object() && data.contains("clock") && data["clock"].is_string()
                                ? data["clock"].get<std::string>()
                                : "";
        auto& week = r.breaches[w];
        ++week.total;
        for (auto& [name, n] : week.by_clock)
            if (name == clock) ++n;
    });
    tx.ForEachEventOfType("followup.answered", r.since, r.until, [&](const Event& e) {
        int w = WeekIndex(r.since, r.until, e.at);
        if (w < 0) return;
        auto data = json::parse(e.data_json, nullptr, false);
        if (!data.is_object() || !data.contains("score") || !data["score"].is_number_integer()) return;
        auto score = data["score"].get<std::int64_t>();
        if (score < 1 || score > 5) return;
        ++r.followup[w].scores[score - 1];
    });
    for (auto& week : r.followup) {
        std::int64_t sum = 0;
        for (int s = 0; s < 5; ++s) {
            week.answers += week.scores[s];
            sum += week.scores[s] * (s + 1);
        }
        if (week.answers > 0) week.average = static_cast<double>(sum) / static_cast<double>(week.answers);
    }

    r.remedies = tx.RemedySpend("month", r.since, r.until);

    for (const auto& incident : incidents) {
        if (incident.created_at < r.since || incident.created_at >= r.until) continue;
        IncidentContacts c;
        c.id = incident.id;
        c.name = incident.name;
        c.status = std::string(status::Name(incident.status));
        c.created_at = incident.created_at;
        c.affected = tx.CountAffected(incident.id);
        c.cases = tx.CountIncidentCases(incident.id);
        if (c.affected > 0) c.contacts_per_100 = 100.0 * static_cast<double>(c.cases) / static_cast<double>(c.affected);
        r.incidents.push_back(std::move(c));
    }
    std::sort(r.incidents.begin(), r.incidents.end(),
              [](const auto& a, const auto& b) { return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id); });

    r.recurrence = RecurrenceReportJson(tx, r.until, options);
    return r;
}

json TeamReportJson(const TeamReport& r) {
    json ack = json::array(), breaches = json::array(), followup = json::array(), incidents = json::array();
    for (const auto& w : r.acknowledge)
        ack.push_back(json{{"week", Day(w.week)},
                           {"cases", w.cases},
                           {"acknowledged", w.acknowledged},
                           {"late", w.late},
                           {"median_minutes", Opt(w.median_minutes)},
                           {"p90_minutes", Opt(w.p90_minutes)}});
    for (const auto& w : r.breaches) {
        json by_clock = json::object();
        for (const auto& [name, n] : w.by_clock) by_clock[name] = n;
        breaches.push_back(json{{"week", Day(w.week)}, {"total", w.total}, {"by_clock", std::move(by_clock)}});
    }
    for (const auto& w : r.followup)
        followup.push_back(json{{"week", Day(w.week)},
                                {"answers", w.answers},
                                {"average", Opt(w.average)},
                                {"scores", json::array({w.scores[0], w.scores[1], w.scores[2], w.scores[3], w.scores[4]})}});
    for (const auto& c : r.incidents)
        incidents.push_back(json{{"id", c.id},
                                 {"name", c.name},
                                 {"status", c.status},
                                 {"created_at", FormatRfc3339(c.created_at)},
                                 {"affected_customers", c.affected},
                                 {"cases", c.cases},
                                 {"contacts_per_100", Opt(c.contacts_per_100)}});
    return json{{"since", FormatRfc3339(r.since)},
                {"until", FormatRfc3339(r.until)},
                {"acknowledge", std::move(ack)},
                {"breaches", std::move(breaches)},
                {"followup", std::move(followup)},
                {"remedies", SpendReportJson(r.remedies)},
                {"incidents", std::move(incidents)},
                {"recurrence", r.recurrence}};
}

json IncidentNoticesJson(store::Tx& tx, const std::string& incident_id) {
    auto c = tx.CountIncidentNotices(incident_id);
    return json{{"queued", c.pending}, {"sent", c.sent}, {"failed", c.failed}};
}

}  // namespace amends::app
