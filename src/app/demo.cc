#include "app/demo.h"

#include "app/cases.h"

namespace amends::app {

namespace {

struct Story {
    const char* external_ref;
    const char* name;
    const char* email;
    std::int64_t value_minor;
    const char* subject;
    const char* category;
    Severity severity;
    Channel channel;
    const char* reference;
    const char* complaint;
};

// From shared/domain: 001 (the grocery box, the order three weeks late), 000 (the laptop skin billed as a wall
// skin), 004 (the car without a full tank, the wrong price at the till).
constexpr Story kStories[] = {
    {"cust-1001", "Maya Lindqvist", "maya@example.com", 48000, "My grocery box never came", "delivery",
     Severity::kHigh, Channel::kEmail, "order 48213",
     "My regular delivery didn't turn up on Monday. I forwarded the confirmation email already. What happened, and "
     "how do we avoid it next week?"},
    {"cust-1002", "Tom Becker", "tom.becker@example.com", 12000, "Order still not shipped after a week", "delivery",
     Severity::kNormal, Channel::kEmail, "order 1207",
     "Your site said in stock and dispatched within 24 hours. It has been a week and I have heard nothing. Did you "
     "receive my order?"},
    {"cust-1003", "Priya Raman", "priya@example.com", 9000, "Thanked for a wall skin, I ordered a laptop skin",
     "billing", Severity::kNormal, Channel::kSocial, "order FH-5521",
     "I ordered a custom laptop skin and got an email thanking me for my purchase of a wall skin. I'm sure I ordered "
     "the right thing."},
    {"cust-1004", "Daniel Okafor", "daniel.okafor@example.com", 3500000, "New car delivered without a full tank",
     "vehicle_delivery", Severity::kNormal, Channel::kPhone, "delivery VIN WVW-22817",
     "I picked up my new car today and the tank was nearly empty. I expected it full, as the salesman said."},
    {"cust-1005", "Grace Liu", "grace.liu@example.com", 150000, "Wrong price rang up at the till", "pricing",
     Severity::kLow, Channel::kInPerson, "receipt 0931-22",
     "The shelf said 2.49 for the olive oil but the till charged me 3.99."},
};

}  // namespace

Expected<DemoResult> LoadDemo(store::Store& store, const Auth& auth, const Recovery& recovery, const Clock& clock) {
    DemoResult result;
    auto password = Auth::HashPassword(kDemoPassword);  // hashed outside the unit: Argon2id is slow on purpose
    if (!password) return std::unexpected(password.error());
    auto written = store.WriteAndWait([&](store::Tx& tx) {
        TimePoint now = clock.Now();
        Id demo_user = 0;
        if (auto user = tx.FindUserByName("demo")) {
            demo_user = user->id;
            // "New each start": the tokens printed at earlier starts stop working (the password stays).
            for (const auto& old : tx.ListTokens(demo_user))
                if (!old.revoked_at) tx.RevokeToken(old.id, now);
            auto token = auth.IssueToken(tx, demo_user, now);
            if (!token) throw std::runtime_error(token.error().message);
            result.token = *token;
        } else {
            auto added = auth.AddUser(tx, "demo", Role::kAdmin, now);
            if (!added) throw std::runtime_error(added.error().message);
            demo_user = added->user.id;
            result.token = added->token;
        }
        if (!tx.FindPasswordHash(demo_user)) {
            tx.PutPasswordHash(demo_user, *password, now);
            result.password_set = true;
        }
        store::CustomerFilter any;
        any.limit = 1;
        if (!tx.ListCustomers(any).empty()) return true;
        for (const auto& story : kStories) {
            Customer c;
            c.external_ref = story.external_ref;
            c.name = story.name;
            c.email = story.email;
            c.value_minor = story.value_minor;
            auto customer = CreateCustomer(tx, c, now);
            if (!customer) throw std::runtime_error(customer.error().message);
            Case draft;
            draft.customer_id = customer->id;
            draft.subject = story.subject;
            draft.description = story.complaint;
            draft.category = story.category;
            draft.severity = story.severity;
            draft.channel = story.channel;
            draft.reference = story.reference;
            auto opened = OpenCase(tx, recovery, "user:" + std::to_string(demo_user), draft, std::nullopt, now);
            if (!opened) throw std::runtime_error(opened.error().message);
            Message m;
            m.direction = Direction::kIn;
            m.body = story.complaint;
            if (auto msg = AddMessage(tx, recovery, nullptr, "customer", opened->id, m, {}, now); !msg)
                throw std::runtime_error(msg.error().message);
            ++result.cases_created;
        }
        return true;
    });
    if (!written) return std::unexpected(written.error());
    return result;
}

}  // namespace amends::app
