#include "coach/boilerplate_index.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "coach/coach.h"

namespace amends::coach {
namespace {

constexpr std::int64_t kNow = 1'750'000'000;
const std::string kMacro =
    "Thank you for contacting us. We apologise for the delay with your order and we are working hard to resolve it. "
    "We will be in touch as soon as we have an update for you.";

TEST(BoilerplateIndex, NearRepeatToTheSameCustomerIsFound) {
    BoilerplateIndex index;
    index.Add("alice", kMacro, kNow - 86'400);
    std::string near = kMacro;
    near.replace(near.find("order"), 5, "parcel");
    auto hit = index.Check("alice", FingerprintOf(near), kNow);
    ASSERT_TRUE(hit.has_value());
    EXPECT_EQ(hit->kind, BoilerplateHit::Kind::kRepeatsCustomer);
    EXPECT_FALSE(index.Check("bob", FingerprintOf(near), kNow).has_value());
}

TEST(BoilerplateIndex, ARepeatedLongSentenceIsARepeat) {
    BoilerplateIndex index;
    index.Add("carol", "We have just heard from the wholesaler that the item won't be available for another three weeks. "
                       "Our apologies for the delay, and for the fact that we didn't inform you earlier.", kNow - 86'400);
    auto hit = index.Check("carol", FingerprintOf("Unfortunately we won't have the item for another week. Our apologies "
                                                  "for the delay, and for the fact that we didn't inform you earlier."),
                           kNow);
    ASSERT_TRUE(hit.has_value());
    EXPECT_TRUE(hit->shared_sentence);
}

TEST(BoilerplateIndex, DifferentMessagesAreNotRepeats) {
    BoilerplateIndex index;
    index.Add("dave", kMacro, kNow - 60);
    auto hit = index.Check("dave", FingerprintOf("Hi Dave, I've refunded the £12 delivery charge for order 4471 and the "
                                                 "replacement leaves our warehouse tomorrow morning."),
                           kNow);
    EXPECT_FALSE(hit.has_value());
}

TEST(BoilerplateIndex, SameTextToManyCustomersInTheWindowIsAMassSend) {
    BoilerplateIndex::Options options;
    options.mass_recipients = 5;
    BoilerplateIndex index(options);
    for (int i = 0; i < 4; ++i) index.Add("customer-" + std::to_string(i), kMacro, kNow - 600);
    EXPECT_FALSE(index.Check("erin", FingerprintOf(kMacro), kNow).has_value());
    index.Add("customer-4", kMacro, kNow - 300);
    auto hit = index.Check("erin", FingerprintOf(kMacro), kNow);
    ASSERT_TRUE(hit.has_value());
    EXPECT_EQ(hit->kind, BoilerplateHit::Kind::kMassSend);
    EXPECT_EQ(hit->recipients, 5u);
    // Outside the window they no longer count.
    EXPECT_FALSE(index.Check("erin", FingerprintOf(kMacro), kNow + 2 * options.window_seconds).has_value());
}

TEST(BoilerplateIndex, AnalyzeFlagsBoilerplateUnlessPersonal) {
    BoilerplateIndex::Options options;
    options.mass_recipients = 3;
    BoilerplateIndex index(options);
    for (int i = 0; i < 3; ++i) index.Add("c" + std::to_string(i), kMacro, kNow - 60);
    Context context{.sent = &index, .customer = "frank", .now_unix = kNow};
    auto report = DefaultCoach().Analyze(kMacro, context);
    ASSERT_TRUE(report.has_value());
    EXPECT_TRUE(report->Has(FindingKind::kBoilerplate));
    std::string personal = "Hi Frank, " + kMacro;
    context.personal_terms = {"Frank"};
    report = DefaultCoach().Analyze(personal, context);
    ASSERT_TRUE(report.has_value());
    EXPECT_FALSE(report->Has(FindingKind::kBoilerplate));
}

TEST(BoilerplateIndex, StaysCompactAndGrows) {
    // The recent window is a fixed cost (capacity-bound); keep it small so the per-message cost shows.
    BoilerplateIndex::Options options;
    options.window_capacity = 1024;
    BoilerplateIndex index(options);
    for (int i = 0; i < 262'144; ++i) {  // four full chunks, four messages a customer
        Fingerprint fp;
        fp.simhash = 0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(i + 1);
        index.Add("customer-" + std::to_string(i / 4), fp, kNow);
    }
    EXPECT_EQ(index.size(), 262'144u);
    EXPECT_LE(index.MemoryBytes() / index.size(), 32u);
    Fingerprint probe;
    probe.simhash = 0x9E3779B97F4A7C15ull * 401;  // message 400 went to customer-100
    auto hit = index.Check("customer-100", probe, kNow);
    ASSERT_TRUE(hit.has_value());
    EXPECT_EQ(hit->distance, 0);
}

TEST(BoilerplateIndex, ConcurrentAddsAndChecksAreSafe) {
    BoilerplateIndex index;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&index, t] {
            for (int i = 0; i < 500; ++i) {
                std::string customer = "t" + std::to_string(t) + "-" + std::to_string(i % 50);
                index.Add(customer, kMacro + std::to_string(i), kNow + i);
                (void)index.Check(customer, FingerprintOf(kMacro), kNow + i);
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(index.size(), 2000u);
}

}  // namespace
}  // namespace amends::coach
