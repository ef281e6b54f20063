#include "playbook/config.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "playbook/playbook_testing.h"

namespace amends::playbook {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::At;

constexpr const char* kExample = R"toml(
[defaults]
calendar = "office"

[defaults.targets]
acknowledge = "2h"
follow_up_after_days = 5

[calendars.office]
utc_offset = "+01:00"
mon = ["09:00-17:00"]
tue = ["09:00-17:00"]
wed = ["09:00-17:00"]
thu = ["09:00-17:00"]
fri = ["09:00-12:30", "13:30-17:00"]
holidays = [2026-12-25, "2027-01-01"]

[[policies]]
name = "critical"
calendar = "always"
[policies.match]
severity = ["critical"]
[policies.targets]
acknowledge = "15m"
keep_informed = "4h"

[[policies]]
name = "valuable social"
[policies.match]
channel = ["social", "chat"]
min_customer_value = 100000

[[policies]]
name = "late deliveries"
[policies.match]
category = ["delivery"]
severity = ["normal", "high"]
max_customer_value = 5000
[policies.targets]
agree = "8h"
)toml";

Config Example() {
    auto config = ParseConfig(kExample);
    if (!config) throw std::runtime_error(config.error().field + ": " + config.error().message);
    return *config;
}

TEST(PlaybookConfig, EmptyConfigIsTheBuiltInDefault) {
    auto config = ParseConfig("");
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_TRUE(config->policies.empty());
    const ClockPolicy& chosen = config->Choose(CaseFacts{});
    EXPECT_EQ(chosen.name, "default");
    EXPECT_EQ(chosen.targets.acknowledge, hours(1));
    EXPECT_EQ(chosen.targets.keep_informed, hours(24));
    EXPECT_EQ(chosen.targets.plan_change, Millis(0));
    EXPECT_EQ(chosen.targets.agree, hours(72));
    EXPECT_EQ(chosen.targets.confirm, hours(1));
    EXPECT_EQ(chosen.targets.follow_up_after_days, 3);
    EXPECT_TRUE(chosen.calendar.AlwaysOpen());
    EXPECT_EQ(chosen.targets, Targets{});
}

TEST(PlaybookConfig, PoliciesInheritTheDefaultsTheyDoNotOverride) {
    const Config config = Example();
    ASSERT_EQ(config.policies.size(), 3u);
    const ClockPolicy& critical = config.policies[0];
    EXPECT_EQ(critical.name, "critical");
    EXPECT_EQ(critical.targets.acknowledge, minutes(15));
    EXPECT_EQ(critical.targets.keep_informed, hours(4));
    EXPECT_EQ(critical.targets.follow_up_after_days, 5);  // from [defaults.targets]
    EXPECT_TRUE(critical.calendar.AlwaysOpen());

    const ClockPolicy& social = config.policies[1];
    EXPECT_EQ(social.targets.acknowledge, hours(2));  // from [defaults.targets]
    EXPECT_EQ(social.calendar.name, "office");        // from [defaults]
    EXPECT_EQ(social.match.channels, (std::vector<Channel>{Channel::kSocial, Channel::kChat}));
    EXPECT_EQ(social.match.min_customer_value, 100000);

    EXPECT_EQ(config.policies[2].targets.agree, hours(8));
    EXPECT_EQ(config.fallback.targets.acknowledge, hours(2));
    EXPECT_EQ(config.fallback.calendar.name, "office");
}

TEST(PlaybookConfig, CalendarReadsHoursOffsetAndHolidays) {
    const Calendar& office = Example().fallback.calendar;
    EXPECT_EQ(office.utc_offset, hours(1));
    EXPECT_EQ(office.week[0], (std::vector<OpenSpan>{{9 * 60, 17 * 60}}));
    EXPECT_EQ(office.week[4], (std::vector<OpenSpan>{{9 * 60, 12 * 60 + 30}, {13 * 60 + 30, 17 * 60}}));
    EXPECT_TRUE(office.week[5].empty());
    EXPECT_TRUE(office.week[6].empty());
    ASSERT_EQ(office.holidays.size(), 2u);
    EXPECT_TRUE(office.IsHoliday(std::chrono::floor<std::chrono::days>(At("2026-12-25"))));
    EXPECT_TRUE(office.IsHoliday(std::chrono::floor<std::chrono::days>(At("2027-01-01"))));
    EXPECT_FALSE(office.IsOpenAt(At("2026-11-27T12:00:00Z")));  // Friday 13:00 local, lunch
}

TEST(PlaybookConfig, FirstMatchingPolicyWins) {
    const Config config = Example();
    struct Case {
        const char* name;
        CaseFacts facts;
        const char* policy;
    } cases[] = {
        {"critical beats everything after it",
         {Severity::kCritical, "delivery", Channel::kSocial, 1'000'000},
         "critical"},
        {"valuable social customer", {Severity::kNormal, "billing", Channel::kSocial, 100000}, "valuable social"},
        {"value just below the minimum", {Severity::kNormal, "billing", Channel::kSocial, 99999}, "default"},
        {"chat counts as social here", {Severity::kLow, "billing", Channel::kChat, 200000}, "valuable social"},
        {"small delivery case", {Severity::kHigh, "delivery", Channel::kEmail, 5000}, "late deliveries"},
        {"value above the maximum", {Severity::kHigh, "delivery", Channel::kEmail, 5001}, "default"},
        {"severity not listed", {Severity::kLow, "delivery", Channel::kEmail, 0}, "default"},
        {"category not listed", {Severity::kNormal, "billing", Channel::kEmail, 0}, "default"},
    };
    for (const Case& c : cases) EXPECT_EQ(config.Choose(c.facts).name, c.policy) << c.name;
}

TEST(PlaybookConfig, FactsOfReadsTheCaseAndTheCustomer) {
    Case c;
    c.severity = Severity::kHigh;
    c.category = "outage";
    c.channel = Channel::kPhone;
    Customer customer;
    customer.value_minor = 4200;
    const CaseFacts facts = FactsOf(c, customer);
    EXPECT_EQ(facts.severity, Severity::kHigh);
    EXPECT_EQ(facts.category, "outage");
    EXPECT_EQ(facts.channel, Channel::kPhone);
    EXPECT_EQ(facts.customer_value_minor, 4200);
}

TEST(PlaybookConfig, ErrorsNameTheKey) {
    struct Case {
        const char* name;
        const char* toml;
        const char* field;
    } cases[] = {
        {"syntax error", "[defaults\n", "toml"},
        {"unknown top-level key", "[polices]\n", "polices"},
        {"typo in a target", "[defaults.targets]\nacknowledgment = \"1h\"\n", "defaults.targets.acknowledgment"},
        {"duration without unit", "[defaults.targets]\nacknowledge = \"60\"\n", "defaults.targets.acknowledge"},
        {"duration in days", "[defaults.targets]\nagree = \"2d\"\n", "defaults.targets.agree"},
        {"duration as a number", "[defaults.targets]\nagree = 3600\n", "defaults.targets.agree"},
        {"zero cadence", "[defaults.targets]\nkeep_informed = \"0m\"\n", "defaults.targets.keep_informed"},
        {"negative follow-up days", "[defaults.targets]\nfollow_up_after_days = -1\n",
         "defaults.targets.follow_up_after_days"},
        {"undefined calendar", "[defaults]\ncalendar = \"office\"\n", "defaults.calendar"},
        {"policy without a name", "[[policies]]\n[policies.match]\nseverity = [\"high\"]\n", "policies[0].name"},
        {"duplicate policy names", "[[policies]]\nname = \"a\"\n[[policies]]\nname = \"a\"\n", "policies[1].name"},
        {"unknown severity", "[[policies]]\nname = \"a\"\n[policies.match]\nseverity = [\"urgent\"]\n",
         "policies[0].match.severity"},
        {"unknown channel", "[[policies]]\nname = \"a\"\n[policies.match]\nchannel = [\"fax\"]\n",
         "policies[0].match.channel"},
        {"empty category list", "[[policies]]\nname = \"a\"\n[policies.match]\ncategory = []\n",
         "policies[0].match.category"},
        {"unknown match key", "[[policies]]\nname = \"a\"\n[policies.match]\nvalue = 3\n", "policies[0].match.value"},
        {"min above max",
         "[[policies]]\nname = \"a\"\n[policies.match]\nmin_customer_value = 5\nmax_customer_value = 4\n",
         "policies[0].match.max_customer_value"},
        {"second policy bad target",
         "[[policies]]\nname = \"a\"\n[[policies]]\nname = \"b\"\n"
         "[policies.targets]\nconfirm = \"soon\"\n",
         "policies[1].targets.confirm"},
        {"hours not a range", "[calendars.office]\nmon = [\"9-17\"]\n", "calendars.office.mon"},
        {"hours across midnight", "[calendars.office]\nmon = [\"22:00-06:00\"]\n", "calendars.office.mon"},
        {"overlapping hours", "[calendars.office]\nmon = [\"09:00-12:00\", \"11:00-17:00\"]\n", "calendars.office.mon"},
        {"bad offset", "[calendars.office]\nutc_offset = \"CET\"\nmon = [\"09:00-17:00\"]\n",
         "calendars.office.utc_offset"},
        {"bad holiday", "[calendars.office]\nmon = [\"09:00-17:00\"]\nholidays = [\"Christmas\"]\n",
         "calendars.office.holidays[0]"},
        {"never open", "[calendars.office]\nutc_offset = \"Z\"\n", "calendars.office"},
        {"unknown day", "[calendars.office]\nmonday = [\"09:00-17:00\"]\n", "calendars.office.monday"},
        {"redefining always", "[calendars.always]\nmon = [\"09:00-17:00\"]\n", "calendars.always"},
        {"policies not an array", "[policies]\nname = \"a\"\n", "policies"},
    };
    for (const Case& c : cases) {
        auto config = ParseConfig(c.toml);
        ASSERT_FALSE(config) << c.name;
        EXPECT_EQ(config.error().code, ErrorCode::kInvalidArgument) << c.name;
        EXPECT_EQ(config.error().field, c.field) << c.name << ": " << config.error().message;
        EXPECT_FALSE(config.error().message.empty()) << c.name;
    }
}

TEST(PlaybookConfig, SyntaxErrorsSayWhichLine) {
    auto config = ParseConfig("[defaults]\ncalendar = \n");
    ASSERT_FALSE(config);
    EXPECT_NE(config.error().message.find("line 2"), std::string::npos) << config.error().message;
}

TEST(PlaybookConfig, ParseDurationAcceptsHoursMinutesSeconds) {
    struct Case {
        const char* text;
        std::optional<Millis> expected;
    } cases[] = {
        {"1h", hours(1)},
        {"45m", minutes(45)},
        {"1h30m", minutes(90)},
        {"90s", std::chrono::seconds(90)},
        {"2h0m5s", hours(2) + std::chrono::seconds(5)},
        {"0m", Millis(0)},
        {"", std::nullopt},
        {"1", std::nullopt},
        {"h", std::nullopt},
        {"1d", std::nullopt},
        {"30m1h", std::nullopt},
        {"1h1h", std::nullopt},
        {"-1h", std::nullopt},
        {"1.5h", std::nullopt},
        {"1h ", std::nullopt},
        {"9999999h", std::nullopt},
    };
    for (const auto& c : cases) EXPECT_EQ(ParseDuration(c.text), c.expected) << '"' << c.text << '"';
}

// docs/playbook.md shows a config in a ```toml block; it must parse.
TEST(PlaybookConfig, TheDocumentedExampleParses) {
    std::ifstream in(std::string(AMENDS_SOURCE_DIR) + "/docs/playbook.md");
    ASSERT_TRUE(in) << "docs/playbook.md not found";
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string doc = buffer.str();
    const std::string open = "```toml\n";
    const auto begin = doc.find(open);
    ASSERT_NE(begin, std::string::npos);
    const auto end = doc.find("```", begin + open.size());
    ASSERT_NE(end, std::string::npos);
    auto config = ParseConfig(std::string_view(doc).substr(begin + open.size(), end - begin - open.size()));
    ASSERT_TRUE(config) << config.error().field << ": " << config.error().message;
    EXPECT_FALSE(config->policies.empty());
}

}  // namespace
}  // namespace amends::playbook
