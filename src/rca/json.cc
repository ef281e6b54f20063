#include "rca/json.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace amends::rca {

namespace {

nlohmann::json TimeOrNull(const std::optional<TimePoint>& t) {
    return t ? nlohmann::json(FormatRfc3339(*t)) : nlohmann::json(nullptr);
}
template <typename E>
nlohmann::json NameOrNull(const std::optional<E>& e) {
    return e ? nlohmann::json(Name(*e)) : nlohmann::json(nullptr);
}

}  // namespace

void to_json(nlohmann::json& j, const TimelineEntry& t) {
    j = {{"at", FormatRfc3339(t.at)},
         {"text", t.text},
         {"public_text", t.public_text ? nlohmann::json(*t.public_text) : nlohmann::json(nullptr)},
         {"case_id", t.case_id ? nlohmann::json(*t.case_id) : nlohmann::json(nullptr)},
         {"event_id", t.event_id ? nlohmann::json(*t.event_id) : nlohmann::json(nullptr)}};
}

void to_json(nlohmann::json& j, const Impact& i) {
    j = {{"customers_affected", i.customers_affected},
         {"contacts", i.contacts},
         {"remedies", i.remedies},
         {"remedies_minor", i.remedies_minor}};
}

void to_json(nlohmann::json& j, const Why& w) { j = {{"question", w.question}, {"answer", w.answer}}; }

void to_json(nlohmann::json& j, const ScopeTest& t) {
    j = {{"missed_step", t.missed_step},
         {"in_process", t.in_process ? nlohmann::json(*t.in_process) : nlohmann::json(nullptr)}};
}

void to_json(nlohmann::json& j, const Action& a) {
    j = {{"id", a.id},
         {"debrief_id", a.debrief_id},
         {"kind", Name(a.kind)},
         {"description", a.description},
         {"why", a.why},
         {"owner", a.owner},
         {"due", FormatRfc3339(a.due)},
         {"status", Name(a.status)},
         {"reason", a.reason},
         {"completed_at", TimeOrNull(a.completed_at)},
         {"created_at", FormatRfc3339(a.created_at)}};
}

void to_json(nlohmann::json& j, const Debrief& d) {
    const ScopeSuggestion suggestion = SuggestScope(d.scope_test, d.cause_type);
    nlohmann::json gaps = nlohmann::json::array();
    for (const Error& e : PublishGaps(d)) gaps.push_back({{"field", e.field}, {"message", e.message}});
    j = {{"id", d.id},
         {"subject", Name(d.subject)},
         {"incident_id", d.incident_id ? nlohmann::json(*d.incident_id) : nlohmann::json(nullptr)},
         {"case_ids", d.case_ids},
         {"title", d.title},
         {"summary", d.summary},
         {"timeline", d.timeline},
         {"impact", d.impact},
         {"whys", d.whys},
         {"cause_type", NameOrNull(d.cause_type)},
         {"scope_test", d.scope_test},
         {"scope", NameOrNull(d.scope)},
         {"scope_reason", d.scope_reason},
         {"scope_suggestion", {{"scope", NameOrNull(suggestion.scope)}, {"explanation", suggestion.explanation}}},
         {"actions", d.actions},
         {"author", d.author},
         {"created_at", FormatRfc3339(d.created_at)},
         {"updated_at", FormatRfc3339(d.updated_at)},
         {"publish_gaps", std::move(gaps)}};
}

void to_json(nlohmann::json& j, const PublicDebrief& d) {
    nlohmann::json timeline = nlohmann::json::array();
    for (const PublicTimelineEntry& t : d.timeline) timeline.push_back({{"at", FormatRfc3339(t.at)}, {"text", t.text}});
    nlohmann::json actions = nlohmann::json::array();
    for (const PublicAction& a : d.actions)
        actions.push_back({{"kind", Name(a.kind)},
                           {"description", a.description},
                           {"why", a.why},
                           {"status", Name(a.status)},
                           {"completed_at", TimeOrNull(a.completed_at)}});
    j = {{"title", d.title},
         {"summary", d.summary},
         {"timeline", std::move(timeline)},
         {"customers_affected", d.customers_affected},
         {"whys", d.whys},
         {"cause_type", NameOrNull(d.cause_type)},
         {"missed_step", d.missed_step},
         {"scope", NameOrNull(d.scope)},
         {"actions", std::move(actions)},
         {"updated_at", FormatRfc3339(d.updated_at)}};
}

namespace {

// Reads the members of one JSON object, each once; Finish() reports the first member nobody asked for.
class ObjectReader {
public:
    ObjectReader(const nlohmann::json& j, std::string prefix) : j_(j), prefix_(std::move(prefix)) {}

    std::string Field(std::string_view key) const { return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key); }
    const nlohmann::json* Get(std::string_view key) {
        seen_.emplace_back(key);
        auto it = j_.find(key);
        return it == j_.end() || it->is_null() ? nullptr : &*it;
    }
    void Ignore(std::string_view key) { seen_.emplace_back(key); }

    Expected<void> String(std::string_view key, std::string& out, bool required = false) {
        const nlohmann::json* v = Get(key);
        if (!v) return required ? InvalidField(Field(key), Field(key) + " is required") : Expected<void>{};
        if (!v->is_string()) return InvalidField(Field(key), Field(key) + " must be a string");
        out = v->get<std::string>();
        return {};
    }
    Expected<void> OptString(std::string_view key, std::optional<std::string>& out) {
        const nlohmann::json* v = Get(key);
        if (!v) return {};
        if (!v->is_string()) return InvalidField(Field(key), Field(key) + " must be a string or null");
        out = v->get<std::string>();
        return {};
    }
    Expected<void> Int(std::string_view key, std::int64_t& out, bool required = false) {
        const nlohmann::json* v = Get(key);
        if (!v) return required ? InvalidField(Field(key), Field(key) + " is required") : Expected<void>{};
        if (!v->is_number_integer()) return InvalidField(Field(key), Field(key) + " must be an integer");
        out = v->get<std::int64_t>();
        return {};
    }
    Expected<void> OptInt(std::string_view key, std::optional<std::int64_t>& out) {
        if (!j_.contains(key) || j_.at(key).is_null()) return Get(key), Expected<void>{};
        std::int64_t v = 0;
        if (auto r = Int(key, v); !r) return r;
        out = v;
        return {};
    }
    Expected<void> Index(std::string_view key, std::size_t& out, bool required = false) {
        std::int64_t v = 0;
        const bool present = j_.contains(key) && !j_.at(key).is_null();
        if (auto r = Int(key, v, required); !r) return r;
        if (!present) return {};
        if (v < 0) return InvalidField(Field(key), Field(key) + " cannot be negative");
        out = static_cast<std::size_t>(v);
        return {};
    }
    Expected<void> OptBool(std::string_view key, std::optional<bool>& out) {
        const nlohmann::json* v = Get(key);
        if (!v) return {};
        if (!v->is_boolean()) return InvalidField(Field(key), Field(key) + " must be true, false or null");
        out = v->get<bool>();
        return {};
    }
    Expected<void> OptTime(std::string_view key, std::optional<TimePoint>& out, bool required = false) {
        const nlohmann::json* v = Get(key);
        if (!v) return required ? InvalidField(Field(key), Field(key) + " is required") : Expected<void>{};
        std::optional<TimePoint> t = v->is_string() ? ParseRfc3339(v->get_ref<const std::string&>()) : std::nullopt;
        if (!t) return InvalidField(Field(key), Field(key) + " must be an RFC 3339 date-time");
        out = t;
        return {};
    }
    Expected<void> Time(std::string_view key, TimePoint& out, bool required = false) {
        std::optional<TimePoint> t;
        if (auto r = OptTime(key, t, required); !r) return r;
        if (t) out = *t;
        return {};
    }
    template <typename E, std::size_t N>
    Expected<void> OptEnum(std::string_view key, const std::pair<E, std::string_view> (&names)[N],
                           std::optional<E>& out, bool required = false) {
        const nlohmann::json* v = Get(key);
        if (!v) return required ? InvalidField(Field(key), Field(key) + " is required") : Expected<void>{};
        auto parsed = v->is_string() ? ParseIn<E>(names, v->get_ref<const std::string&>()) : std::nullopt;
        if (!parsed) {
            std::string known;
            for (const auto& [e, n] : names) known += (known.empty() ? "" : ", ") + std::string(n);
            return InvalidField(Field(key), Field(key) + " must be one of " + known);
        }
        out = parsed;
        return {};
    }
    template <typename E, std::size_t N>
    Expected<void> Enum(std::string_view key, const std::pair<E, std::string_view> (&names)[N], E& out,
                        bool required = false) {
        std::optional<E> e;
        if (auto r = OptEnum(key, names, e, required); !r) return r;
        if (e) out = *e;
        return {};
    }
    // The array at `key` (nullptr when absent), or an error when it is not an array.
    Expected<const nlohmann::json*> Array(std::string_view key) {
        const nlohmann::json* v = Get(key);
        if (v && !v->is_array()) return InvalidField(Field(key), Field(key) + " must be an array");
        return v;
    }
    Expected<void> Finish() const {
        for (auto it = j_.begin(); it != j_.end(); ++it)
            if (std::find(seen_.begin(), seen_.end(), it.key()) == seen_.end())
                return InvalidField(Field(it.key()), Field(it.key()) + " is not a known member");
        return {};
    }

private:
    const nlohmann::json& j_;
    std::string prefix_;
    std::vector<std::string> seen_;
};

#define AMENDS_TRY(expr)                            \
    do {                                            \
        if (auto r_ = (expr); !r_) return std::unexpected(r_.error()); \
    } while (0)

std::string Indexed(std::string_view list, std::size_t i) { return std::string(list) + "[" + std::to_string(i) + "]"; }

Expected<Action> ReadAction(const nlohmann::json& j, const std::string& prefix) {
    if (!j.is_object()) return InvalidField(prefix.empty() ? "action" : prefix, "an action must be a JSON object");
    ObjectReader r(j, prefix);
    Action a;
    std::int64_t id = 0, debrief_id = 0;
    AMENDS_TRY(r.Int("id", id));
    AMENDS_TRY(r.Int("debrief_id", debrief_id));
    a.id = id;
    a.debrief_id = debrief_id;
    AMENDS_TRY(r.Enum("kind", kActionKindNames, a.kind, true));
    AMENDS_TRY(r.String("description", a.description, true));
    AMENDS_TRY(r.Index("why", a.why, true));
    AMENDS_TRY(r.String("owner", a.owner, true));
    AMENDS_TRY(r.Time("due", a.due, true));
    AMENDS_TRY(r.Enum("status", kActionStatusNames, a.status));
    AMENDS_TRY(r.String("reason", a.reason));
    AMENDS_TRY(r.OptTime("completed_at", a.completed_at));
    AMENDS_TRY(r.Time("created_at", a.created_at));
    AMENDS_TRY(r.Finish());
    return a;
}

Expected<TimelineEntry> ReadTimelineEntry(const nlohmann::json& j, const std::string& prefix) {
    if (!j.is_object()) return InvalidField(prefix, prefix + " must be a JSON object");
    ObjectReader r(j, prefix);
    TimelineEntry t;
    std::optional<std::int64_t> case_id, event_id;
    AMENDS_TRY(r.Time("at", t.at, true));
    AMENDS_TRY(r.String("text", t.text, true));
    AMENDS_TRY(r.OptString("public_text", t.public_text));
    AMENDS_TRY(r.OptInt("case_id", case_id));
    AMENDS_TRY(r.OptInt("event_id", event_id));
    AMENDS_TRY(r.Finish());
    t.case_id = case_id;
    t.event_id = event_id;
    return t;
}

}  // namespace

Expected<Debrief> ParseDebrief(const nlohmann::json& j) {
    if (!j.is_object()) return InvalidField("debrief", "a debrief must be a JSON object");
    ObjectReader r(j, "");
    Debrief d = NewDebrief(Subject::kIncident, std::nullopt, {}, "", TimePoint{});
    std::int64_t id = 0;
    AMENDS_TRY(r.Int("id", id));
    d.id = id;
    AMENDS_TRY(r.Enum("subject", kSubjectNames, d.subject, true));
    AMENDS_TRY(r.OptString("incident_id", d.incident_id));
    auto case_ids = r.Array("case_ids");
    AMENDS_TRY(case_ids);
    if (*case_ids)
        for (std::size_t i = 0; i < (*case_ids)->size(); ++i) {
            const nlohmann::json& v = (**case_ids)[i];
            if (!v.is_number_integer()) return InvalidField(Indexed("case_ids", i), "a case id is an integer");
            d.case_ids.push_back(v.get<Id>());
        }
    AMENDS_TRY(r.String("title", d.title, true));
    AMENDS_TRY(r.String("summary", d.summary));
    auto timeline = r.Array("timeline");
    AMENDS_TRY(timeline);
    if (*timeline)
        for (std::size_t i = 0; i < (*timeline)->size(); ++i) {
            auto t = ReadTimelineEntry((**timeline)[i], Indexed("timeline", i));
            AMENDS_TRY(t);
            d.timeline.push_back(std::move(*t));
        }
    if (const nlohmann::json* impact = r.Get("impact")) {
        if (!impact->is_object()) return InvalidField("impact", "impact must be a JSON object");
        ObjectReader ir(*impact, "impact");
        AMENDS_TRY(ir.Int("customers_affected", d.impact.customers_affected));
        AMENDS_TRY(ir.Int("contacts", d.impact.contacts));
        AMENDS_TRY(ir.Int("remedies", d.impact.remedies));
        AMENDS_TRY(ir.Int("remedies_minor", d.impact.remedies_minor));
        AMENDS_TRY(ir.Finish());
    }
    auto whys = r.Array("whys");
    AMENDS_TRY(whys);
    if (*whys) {
        d.whys.clear();
        for (std::size_t i = 0; i < (*whys)->size(); ++i) {
            const nlohmann::json& v = (**whys)[i];
            const std::string f = Indexed("whys", i);
            if (!v.is_object()) return InvalidField(f, f + " must be a JSON object");
            ObjectReader wr(v, f);
            Why w;
            AMENDS_TRY(wr.String("question", w.question, true));
            AMENDS_TRY(wr.String("answer", w.answer));
            AMENDS_TRY(wr.Finish());
            d.whys.push_back(std::move(w));
        }
    }
    AMENDS_TRY(r.OptEnum("cause_type", kCauseTypeNames, d.cause_type));
    if (const nlohmann::json* test = r.Get("scope_test")) {
        if (!test->is_object()) return InvalidField("scope_test", "scope_test must be a JSON object");
        ObjectReader tr(*test, "scope_test");
        AMENDS_TRY(tr.String("missed_step", d.scope_test.missed_step));
        AMENDS_TRY(tr.OptBool("in_process", d.scope_test.in_process));
        AMENDS_TRY(tr.Finish());
    }
    AMENDS_TRY(r.OptEnum("scope", kScopeNames, d.scope));
    AMENDS_TRY(r.String("scope_reason", d.scope_reason));
    auto actions = r.Array("actions");
    AMENDS_TRY(actions);
    if (*actions)
        for (std::size_t i = 0; i < (*actions)->size(); ++i) {
            auto a = ReadAction((**actions)[i], Indexed("actions", i));
            AMENDS_TRY(a);
            d.actions.push_back(std::move(*a));
        }
    AMENDS_TRY(r.String("author", d.author));
    AMENDS_TRY(r.Time("created_at", d.created_at));
    AMENDS_TRY(r.Time("updated_at", d.updated_at));
    r.Ignore("scope_suggestion");
    r.Ignore("publish_gaps");
    AMENDS_TRY(r.Finish());
    AMENDS_TRY(Validate(d));
    return d;
}

Expected<Action> ParseAction(const nlohmann::json& j, std::size_t why_count) {
    auto a = ReadAction(j, "");
    AMENDS_TRY(a);
    AMENDS_TRY(Validate(*a, why_count));
    return a;
}

}  // namespace amends::rca
