#pragma once
// The ~1 KB replies the coach benchmarks scan (coach_bench, coach_pattern_cost, coach_reports): built from
// sentences of the kinds agents write, good and bad, with a fixed seed so every tool sees the same texts.

#include <cstddef>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace amends::coach::bench {

inline const char* const kSentences[] = {
    "Hi Sam, thank you for getting in touch about your order.",
    "I'm so sorry that your parcel arrived damaged, that was our mistake.",
    "I can see the courier marked it as delivered on Monday, but you never received it.",
    "That must have been really frustrating, especially before your trip.",
    "We shipped the wrong size because our warehouse system mislabelled the box.",
    "I've arranged a replacement by express delivery and it will arrive by Thursday.",
    "I've also refunded the delivery charge of £4.99 to your card; it will show within 3 working days.",
    "Could you tell me whether the outer box was damaged too?",
    "If anything else comes up, just reply to this email and I'll sort it.",
    "You must have entered the wrong address when you placed the order.",
    "We apologise for any inconvenience this may have caused.",
    "It was only a small delay and nothing to worry about.",
    "The courier is responsible for this, so you will need to contact them directly.",
    "We'll look into it and get back to you as soon as possible.",
    "Our engineers rolled back the change an hour ago and service is restored.",
    "> I have been waiting for three weeks and nobody has called me back.",
    "We are not sorry for enforcing the rules, but I'm not blaming you either.",
    "Sorry to bother you, but could you confirm your postcode?",
    "As a thank-you for your patience, here is a 15% discount on your next order.",
    "We're sorry you feel that way about our service.",
    "Mistakes were made in the processing of your booking.",
    "I understand that the heating stopped again last night, and I'm sorry we didn't fix it properly the first time.",
    "A technician will be with you tomorrow between 8am and noon.",
    "Does that work for you?",
};

// `count` replies of at least `target_bytes` each (the benchmarks use 1000, 1024, 42).
inline std::vector<std::string> MakeReplies(std::size_t count, std::size_t target_bytes, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<std::size_t> pick(0, std::size(kSentences) - 1);
    std::vector<std::string> replies;
    for (std::size_t i = 0; i < count; ++i) {
        std::string reply;
        while (reply.size() < target_bytes) {
            reply += kSentences[pick(rng)];
            reply += rng() % 4 == 0 ? "\n" : " ";
        }
        replies.push_back(std::move(reply));
    }
    return replies;
}

}  // namespace amends::coach::bench
