#pragma once
// Boilerplate detection: a compact in-memory index of every message sent, by fingerprint. A draft is boilerplate
// when it nearly repeats a message already sent to the same customer (whole-message SimHash within a few bits,
// or one long sentence repeated word for word), or when near-copies went to many customers in a short window.

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string_view>
#include <vector>

namespace amends::coach {

// What the index keeps of one message: a 64-bit SimHash over word unigrams and bigrams (case-folded, Unicode
// words), and 32-bit hashes of its long sentences (six words or more), longest first.
struct Fingerprint {
    static constexpr std::size_t kMaxSentences = 8;
    std::uint64_t simhash = 0;
    std::array<std::uint32_t, kMaxSentences> sentences{};
    std::size_t sentence_count = 0;
};

Fingerprint FingerprintOf(std::string_view text);
int HammingDistance(std::uint64_t a, std::uint64_t b);

// Why a draft counts as boilerplate.
struct BoilerplateHit {
    enum class Kind {
        kRepeatsCustomer,  // nearly repeats a message already sent to this customer
        kMassSend,         // near-copies went to many other customers within the window
    };
    Kind kind = Kind::kRepeatsCustomer;
    int distance = 0;             // SimHash distance of the closest message (kRepeatsCustomer)
    bool shared_sentence = false; // a long sentence repeated word for word (kRepeatsCustomer)
    std::size_t recipients = 0;   // distinct other customers (kMassSend)
};

// The index. Memory: 20 bytes a message (SimHash, two sentence hashes, a link to the customer's previous message),
// stored in fixed chunks, plus a 12-byte slot per customer in an open-addressing table kept at most 3/4 full,
// plus a bounded ring of recent messages for the mass check, indexed by SimHash blocks: near_distance + 1 disjoint
// blocks, so a message within near_distance bits shares at least one block exactly (pigeonhole) and a check reads
// a few short buckets instead of the whole window. Safe for concurrent use: Check() takes a shared lock,
// Add() an exclusive one.
class BoilerplateIndex {
public:
    struct Options {
        int near_distance = 6;                    // SimHash bits that may differ for a near repeat
        std::size_t history_per_customer = 256;   // newest messages of a customer compared, at most
        std::int64_t window_seconds = 3600;       // the mass check looks at messages sent this recently...
        std::size_t window_capacity = 16384;      // ...and at most this many of them
        std::size_t mass_recipients = 20;         // near-copies to this many other customers make a mass send
    };

    BoilerplateIndex();
    explicit BoilerplateIndex(Options options);
    ~BoilerplateIndex();

    // Records a message sent to `customer` (any stable key: an id, an email) at `sent_unix` seconds.
    void Add(std::string_view customer, const Fingerprint& fingerprint, std::int64_t sent_unix);
    void Add(std::string_view customer, std::string_view text, std::int64_t sent_unix);

    // The reason a draft to `customer` at `now_unix` would be boilerplate, or nullopt. A repeat to the customer
    // wins over a mass send.
    std::optional<BoilerplateHit> Check(std::string_view customer, const Fingerprint& draft, std::int64_t now_unix) const;

    std::size_t size() const;
    // Bytes held by the index (records, customer table, recent window), for the memory budget.
    std::size_t MemoryBytes() const;
    // Preallocates room for this many messages and customers (optional; avoids rehashing while loading).
    void Reserve(std::size_t messages, std::size_t customers);

private:
    struct Record {
        std::uint32_t simhash_low;
        std::uint32_t simhash_high;
        std::uint32_t sentence[2];
        std::uint32_t previous;  // 1 + index of the customer's previous message; 0 for none
    };
    static_assert(sizeof(Record) == 20);
    struct Slot {
        std::uint32_t key_low;
        std::uint32_t key_high;
        std::uint32_t head;  // 1 + index of the customer's newest message; 0 for an empty slot
    };
    static_assert(sizeof(Slot) == 12);
    struct Recent {
        std::uint64_t simhash;
        std::uint64_t customer;
        std::int64_t sent_unix;
    };
    static constexpr std::size_t kChunkBits = 16;
    static constexpr std::size_t kMaxBlocks = 16;
    // Sequence numbers of recent messages whose block `b` has a given value; expired ones sit before `head`.
    struct Bucket {
        std::vector<std::uint64_t> sequences;
        std::size_t head = 0;
    };
    std::size_t BlockOf(std::uint64_t simhash, std::size_t block) const;
    std::size_t BucketIndex(std::uint64_t simhash, std::size_t block) const;
    std::size_t BucketBytes() const;

    Slot* Find(std::uint64_t key) const;
    void Grow();
    const Record& At(std::uint32_t index) const;

    Options options_;
    mutable std::shared_mutex mutex_;
    std::vector<std::unique_ptr<Record[]>> chunks_;
    std::size_t count_ = 0;
    std::vector<Slot> slots_;
    std::size_t customers_ = 0;
    std::deque<Recent> recent_;
    std::uint64_t first_sequence_ = 0;  // sequence number of recent_.front()
    std::size_t blocks_ = 0;
    std::size_t block_bits_ = 0;
    std::vector<Bucket> buckets_;  // blocks_ << block_bits_ of them
};

}  // namespace amends::coach
