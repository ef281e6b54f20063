// Policy evaluation under load (Google Benchmark). See bench/policy/RESULTS-policy.md.
//
//   Evaluate/mixed         a 200-rule policy (3 groups, 24 categories), 4,096 different customers' facts in turn
//   Evaluate/worst         the same policy, facts whose category no rule names: every rule is tried
//   EvaluateDefault        the built-in default policy (10 rules), the same mixed facts
//   EvaluateNaive/mixed    the baseline: the same 200 rules matched the obvious way (category strings compared,
//                          reason and description formatted from the conditions for every match)
//   Parse200               ParsePolicy of the 200-rule TOML (once per policy change, not per evaluation)
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "policy/evaluate.h"
#include "policy/policy.h"

namespace amends::policy {
namespace {

constexpr int kCategories = 24;

std::string Category(int i) { return "category-" + std::to_string(i); }

// 200 rules: per category a few tiers by lateness, loss and order value (make_whole), a surprise per category,
// and catch-alls ending each group; a third group for repeat customers.
std::string PolicyToml() {
    std::string t = "name = \"bench-200\"\ncurrency = \"EUR\"\n[caps]\ncustomer_per_year = 200000\nrefund = 50000\n"
                    "[approval]\nagent = 10000\nmanager = 100000\n";
    int n = 0;
    auto rule = [&](const std::string& group, const std::string& when, const std::string& remedy) {
        t += "[[rules]]\nid = \"r" + std::to_string(n++) + "\"\ngroup = \"" + group + "\"\nwhy = \"Rule " +
             std::to_string(n) + ".\"\n";
        if (!when.empty()) t += "when = { " + when + " }\n";
        t += "remedy = { " + remedy + " }\n";
    };
    for (int c = 0; c < kCategories; ++c) {
        const std::string cat = "category = [\"" + Category(c) + "\", \"" + Category((c + 7) % kCategories) + "\"]";
        rule("make_whole", cat + ", min_late = \"3d\", min_severity = \"high\"",
             "kind = \"refund\", percent = 150, of = \"loss\", at_least = \"loss\"");
        rule("make_whole", cat + ", min_late = \"1d\", min_loss = 5000",
             "kind = \"refund\", percent = 120, of = \"loss\"");
        rule("make_whole", cat + ", min_order_value = 10000, max_order_value = 50000",
             "kind = \"credit\", percent = 25, of = \"order\", at_least = \"loss\", max_amount = 20000");
        rule("make_whole", cat + ", subject = \"incident\", min_impact = \"major\"",
             "kind = \"credit\", percent = 25, of = \"invoice\", at_least = \"loss\"");
        rule("make_whole", cat + ", min_customer_value = 100000",
             "kind = \"refund\", percent = 100, of = \"loss\", min_amount = 1000");
        rule("surprise", cat + ", min_order_value = 1",
             "kind = \"discount_next_order\", percent = 15, note = \"a discount on your next order\"");
        rule("surprise", cat + ", min_mistakes_this_year = 2",
             "kind = \"upgrade\", percent = 10, of = \"order\", min_amount = 500");
        rule("loyal", cat + ", min_mistakes_this_year = 4, min_customer_value = 50000",
             "kind = \"faster_shipping\", amount = 900, approval = \"manager\"");
    }
    while (n < 198) rule("loyal", "max_customer_value = 10, min_loss = 999999", "kind = \"credit\", amount = 1");
    rule("make_whole", "", "kind = \"refund\", percent = 100, of = \"loss\"");
    rule("surprise", "", "kind = \"credit\", amount = 500, note = \"a goodwill credit\"");
    return t;
}

std::vector<Facts> MixedFacts(bool unknown_category) {
    std::mt19937_64 rng(42);
    std::vector<Facts> out(4096);
    for (std::size_t i = 0; i < out.size(); ++i) {
        Facts& f = out[i];
        f.subject = rng() % 10 == 0 ? Subject::kIncident : Subject::kCase;
        f.subject_id = static_cast<Id>(i + 1);
        f.customer_id = static_cast<Id>(rng() % 100000);
        f.category = unknown_category ? "unheard-of" : Category(static_cast<int>(rng() % kCategories));
        f.severity = static_cast<Severity>(rng() % 4);
        f.impact = static_cast<Impact>(rng() % 4);
        f.late_minutes = static_cast<std::int64_t>(rng() % (5 * 24 * 60));
        f.order_value_minor = static_cast<std::int64_t>(rng() % 60000);
        f.item_value_minor = f.order_value_minor / 3;
        f.invoice_value_minor = static_cast<std::int64_t>(rng() % 10000);
        f.loss_minor = static_cast<std::int64_t>(rng() % 8000);
        f.customer_value_minor = static_cast<std::int64_t>(rng() % 200000);
        f.mistakes_this_year = static_cast<std::int64_t>(1 + rng() % 5);
        f.remedied_this_year_minor = static_cast<std::int64_t>(rng() % 150000);
    }
    return out;
}

const Policy& Policy200() {
    static const Policy p = [] {
        auto parsed = ParsePolicy(PolicyToml());
        if (!parsed) throw std::runtime_error(parsed.error().field + ": " + parsed.error().message);
        if (parsed->rules.size() != 200) throw std::runtime_error("expected 200 rules");
        return std::move(*parsed);
    }();
    return p;
}

void Run(benchmark::State& state, const Policy& policy, const std::vector<Facts>& facts) {
    std::size_t i = 0, proposals = 0;
    for (auto _ : state) {
        Evaluation e = Evaluate(policy, facts[i++ & (facts.size() - 1)]);
        proposals += e.proposals.size();
        benchmark::DoNotOptimize(e);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.counters["proposals_per_eval"] =
        static_cast<double>(proposals) / static_cast<double>(std::max<std::int64_t>(1, state.iterations()));
}

void BM_EvaluateMixed(benchmark::State& state) {
    static const std::vector<Facts> facts = MixedFacts(false);
    Run(state, Policy200(), facts);
}
BENCHMARK(BM_EvaluateMixed)->Name("Evaluate/mixed");

void BM_EvaluateWorst(benchmark::State& state) {
    static const std::vector<Facts> facts = MixedFacts(true);
    Run(state, Policy200(), facts);
}
BENCHMARK(BM_EvaluateWorst)->Name("Evaluate/worst");

void BM_EvaluateDefault(benchmark::State& state) {
    static const std::vector<Facts> facts = MixedFacts(false);
    Run(state, DefaultPolicy(), facts);
}
BENCHMARK(BM_EvaluateDefault)->Name("EvaluateDefault");

// The baseline: what a first version does. Categories compared as strings, every condition read through
// optional fields, and each match's reason and description formatted from scratch.
std::vector<std::string> NaiveEvaluate(const Policy& policy, const Facts& f) {
    std::vector<std::string> out;
    std::vector<std::string> taken;
    for (const Rule& rule : policy.rules) {
        if (std::find(taken.begin(), taken.end(), rule.group) != taken.end()) continue;
        const Conditions& c = rule.when;
        bool ok = c.categories.empty() ||
                  std::find(c.categories.begin(), c.categories.end(), f.category) != c.categories.end();
        ok = ok && (!c.subject || *c.subject == f.subject) && (!c.min_severity || f.severity >= *c.min_severity) &&
             (!c.min_impact || f.impact >= *c.min_impact) && c.late_minutes.Holds(f.late_minutes) &&
             c.loss.Holds(f.loss_minor) && c.order_value.Holds(f.order_value_minor) &&
             c.customer_value.Holds(f.customer_value_minor) && c.mistakes_this_year.Holds(f.mistakes_this_year);
        if (!ok) continue;
        taken.push_back(rule.group);
        out.push_back(rule.id + ": " + rule.why + " " + std::string(Name(rule.remedy.kind)) + " " +
                      FormatMoney(policy, f.loss_minor) + " " + FormatMinutes(f.late_minutes));
    }
    return out;
}

void BM_EvaluateNaive(benchmark::State& state) {
    static const std::vector<Facts> facts = MixedFacts(false);
    std::size_t i = 0;
    for (auto _ : state) benchmark::DoNotOptimize(NaiveEvaluate(Policy200(), facts[i++ & (facts.size() - 1)]));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_EvaluateNaive)->Name("EvaluateNaive/mixed");

void BM_Parse200(benchmark::State& state) {
    const std::string toml = PolicyToml();
    for (auto _ : state) benchmark::DoNotOptimize(ParsePolicy(toml));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Parse200)->Name("Parse200")->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace amends::policy

BENCHMARK_MAIN();
