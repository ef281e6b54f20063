#pragma once
// The value types of amends: customers, cases, their events and messages, staff users.
// Pure data with validation; no I/O. Free-form JSON (attributes, event data) is carried as compact JSON text.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.h"
#include "domain/names.h"
#include "domain/time.h"

namespace amends {

using Id = std::int64_t;

enum class Role { kAgent, kManager, kAdmin };  // ordered: agent < manager < admin
enum class Channel { kEmail, kPhone, kChat, kWeb, kSocial, kInPerson, kApi };
enum class Severity { kLow, kNormal, kHigh, kCritical };
enum class CaseState { kOpen, kWaitingOnCustomer, kResolved, kClosed };
enum class Direction { kIn, kOut };

inline constexpr std::pair<Role, std::string_view> kRoleNames[] = {
    {Role::kAgent, "agent"}, {Role::kManager, "manager"}, {Role::kAdmin, "admin"}};
inline constexpr std::pair<Channel, std::string_view> kChannelNames[] = {
    {Channel::kEmail, "email"}, {Channel::kPhone, "phone"},   {Channel::kChat, "chat"},     {Channel::kWeb, "web"},
    {Channel::kSocial, "social"}, {Channel::kInPerson, "in_person"}, {Channel::kApi, "api"}};
inline constexpr std::pair<Severity, std::string_view> kSeverityNames[] = {
    {Severity::kLow, "low"}, {Severity::kNormal, "normal"}, {Severity::kHigh, "high"}, {Severity::kCritical, "critical"}};
inline constexpr std::pair<CaseState, std::string_view> kCaseStateNames[] = {
    {CaseState::kOpen, "open"},
    {CaseState::kWaitingOnCustomer, "waiting_on_customer"},
    {CaseState::kResolved, "resolved"},
    {CaseState::kClosed, "closed"}};
inline constexpr std::pair<Direction, std::string_view> kDirectionNames[] = {{Direction::kIn, "in"},
                                                                             {Direction::kOut, "out"}};

constexpr std::string_view Name(Role v) { return NameIn<Role>(kRoleNames, v); }
constexpr std::string_view Name(Channel v) { return NameIn<Channel>(kChannelNames, v); }
constexpr std::string_view Name(Severity v) { return NameIn<Severity>(kSeverityNames, v); }
constexpr std::string_view Name(CaseState v) { return NameIn<CaseState>(kCaseStateNames, v); }
constexpr std::string_view Name(Direction v) { return NameIn<Direction>(kDirectionNames, v); }

// Size limits for text a client sends, in bytes of UTF-8.
inline constexpr std::size_t kMaxNameBytes = 200;
inline constexpr std::size_t kMaxShortTextBytes = 500;        // subject, reference, email, phone, category
inline constexpr std::size_t kMaxLongTextBytes = 64 * 1024;   // descriptions, message bodies
inline constexpr std::size_t kMaxAttributesBytes = 16 * 1024; // a customer's attributes as JSON

struct Customer {
    Id id = 0;
    std::optional<std::string> external_ref;  // the business's own id for this customer; unique when present
    std::string name;
    std::optional<std::string> email;
    std::optional<std::string> phone;
    std::string attributes_json = "{}";  // a JSON object of the business's own facts (plan, city, ...)
    std::int64_t value_minor = 0;        // what the customer is worth to the business, in minor currency units
    TimePoint created_at{};
    TimePoint updated_at{};
};

struct Case {
    Id id = 0;
    Id customer_id = 0;
    std::string subject;
    std::string description;  // what went wrong, in the customer's or the agent's words
    Channel channel = Channel::kEmail;
    std::string category = "general";  // lower-case slug: delivery, billing, outage, ...
    Severity severity = Severity::kNormal;
    std::optional<std::string> reference;  // what the mistake touched: "order 123", "invoice 2026-0042"
    CaseState state = CaseState::kOpen;
    std::optional<Id> assignee_id;
    TimePoint created_at{};
    TimePoint updated_at{};
};

// One entry of a case's timeline. `type` is dotted ("case.opened", "message.sent", "case.state_changed").
struct Event {
    Id id = 0;
    Id case_id = 0;
    std::string type;
    std::string actor;             // "user:7", "customer", "system"
    std::string data_json = "{}";  // facts of the event as a JSON object
    TimePoint at{};
};

// How an outbound message is reaching the customer (through the outbox), as the API shows it.
struct Delivery {
    std::string channel = "email";
    std::string recipient;
    std::string state = "pending";  // pending, sent, failed
    int attempts = 0;
    std::optional<TimePoint> sent_at;
    std::optional<std::string> last_error;
};

struct Message {
    Id id = 0;
    Id case_id = 0;
    Direction direction = Direction::kOut;
    std::string author;  // "user:7" for staff, "customer" for the customer
    std::string body;
    TimePoint created_at{};
    std::optional<std::string> coach_report_json;  // outbound: the reply coach's report on `body`, as JSON
    std::optional<Delivery> delivery;              // outbound and sent by email: where its delivery stands
};

struct User {
    Id id = 0;
    std::string name;
    Role role = Role::kAgent;
    TimePoint created_at{};
};

// Who is acting: a signed-in staff user.
struct Principal {
    Id user_id = 0;
    std::string name;
    Role role = Role::kAgent;
    std::string Actor() const { return "user:" + std::to_string(user_id); }
};

// Checks the invariants a stored record must keep; the error names the field.
Expected<void> Validate(const Customer& c);
Expected<void> Validate(const Case& c);
Expected<void> Validate(const Message& m);
Expected<void> ValidateUserName(std::string_view name);

// True when `s` is well-formed UTF-8 without NUL or other C0 control characters except tab, CR and LF.
bool IsCleanText(std::string_view s);

}  // namespace amends
