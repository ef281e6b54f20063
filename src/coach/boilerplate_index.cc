#include "coach/boilerplate_index.h"

#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <mutex>
#include <string>

#include "coach/text.h"

namespace amends::coach {
namespace {

constexpr std::size_t kMinSentenceWords = 6;

std::uint64_t Hash(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }

std::uint64_t KeyOf(std::string_view customer) {
    std::uint64_t key = Hash(customer);
    return key == 0 ? 1 : key;  // 0 marks nothing
}

}  // namespace

int HammingDistance(std::uint64_t a, std::uint64_t b) { return std::popcount(a ^ b); }

std::uint64_t Mix(std::uint64_t a, std::uint64_t b) {
    std::uint64_t pair[2] = {a, b};
    return XXH3_64bits(pair, sizeof pair);
}

Fingerprint FingerprintOf(std::string_view text) {
    // Features: every word and every pair of neighbouring words (case-folded), hashed; each votes on 64 bits.
    std::array<int, 64> votes{};
    auto vote = [&votes](std::uint64_t h) {
        for (int bit = 0; bit < 64; ++bit) votes[bit] += static_cast<int>((h >> bit) & 1) * 2 - 1;
    };
    std::vector<std::pair<std::size_t, std::uint32_t>> sentences;  // (words, hash) of long sentences
    std::uint64_t previous = 0, sentence_hash = 0;
    bool have_previous = false;
    std::size_t sentence_words = 0;
    ForEachFoldedWord(
        text,
        [&](std::string_view word) {
            std::uint64_t h = Hash(word);
            vote(h);
            if (have_previous) vote(Mix(previous, h));
            previous = h;
            have_previous = true;
            sentence_hash = Mix(sentence_hash, h);
            ++sentence_words;
        },
        [&] {
            if (sentence_words >= kMinSentenceWords)
                sentences.emplace_back(sentence_words, static_cast<std::uint32_t>(sentence_hash) | 1u);
            sentence_hash = 0;
            sentence_words = 0;
        });
    Fingerprint fp;
    for (int bit = 0; bit < 64; ++bit)
        if (votes[bit] > 0) fp.simhash |= std::uint64_t{1} << bit;
    std::stable_sort(sentences.begin(), sentences.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (const auto& [length, hash] : sentences) {
        if (fp.sentence_count == Fingerprint::kMaxSentences) break;
        if (std::find(fp.sentences.begin(), fp.sentences.begin() + fp.sentence_count, hash) !=
            fp.sentences.begin() + fp.sentence_count)
            continue;
        fp.sentences[fp.sentence_count++] = hash;
    }
    return fp;
}

BoilerplateIndex::BoilerplateIndex() : BoilerplateIndex(Options{}) {}
BoilerplateIndex::BoilerplateIndex(Options options) : options_(options), slots_(1024) {
    blocks_ = std::clamp<std::size_t>(static_cast<std::size_t>(std::max(options_.near_distance, 0)) + 1, 1, kMaxBlocks);
    block_bits_ = std::min<std::size_t>(64 / blocks_, 16);
    buckets_.resize(blocks_ << block_bits_);
}

std::size_t BoilerplateIndex::BlockOf(std::uint64_t simhash, std::size_t block) const {
    // Blocks cover all 64 bits: each is block_bits_ wide except the last, which takes the rest (folded to fit).
    std::size_t shift = block * (64 / blocks_);
    std::size_t width = block + 1 == blocks_ ? 64 - shift : 64 / blocks_;
    std::uint64_t value = width >= 64 ? simhash : (simhash >> shift) & ((std::uint64_t{1} << width) - 1);
    return static_cast<std::size_t>((value ^ (value >> block_bits_)) & ((std::uint64_t{1} << block_bits_) - 1));
}

std::size_t BoilerplateIndex::BucketIndex(std::uint64_t simhash, std::size_t block) const {
    return (block << block_bits_) | BlockOf(simhash, block);
}
BoilerplateIndex::~BoilerplateIndex() = default;

const BoilerplateIndex::Record& BoilerplateIndex::At(std::uint32_t index) const {
    return chunks_[index >> kChunkBits][index & ((1u << kChunkBits) - 1)];
}

BoilerplateIndex::Slot* BoilerplateIndex::Find(std::uint64_t key) const {
    std::size_t mask = slots_.size() - 1;
    std::uint32_t low = static_cast<std::uint32_t>(key), high = static_cast<std::uint32_t>(key >> 32);
    for (std::size_t i = (key * 0x9E3779B97F4A7C15ull >> 20) & mask;; i = (i + 1) & mask) {
        const Slot& slot = slots_[i];
        if (slot.head == 0 || (slot.key_low == low && slot.key_high == high)) return const_cast<Slot*>(&slot);
    }
}

void BoilerplateIndex::Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.size() * 2, Slot{});
    for (const Slot& slot : old)
        if (slot.head != 0) *Find((std::uint64_t{slot.key_high} << 32) | slot.key_low) = slot;
}

void BoilerplateIndex::Reserve(std::size_t messages, std::size_t customers) {
    std::unique_lock lock(mutex_);
    chunks_.reserve((messages >> kChunkBits) + 1);
    std::size_t want = slots_.size();
    while (want * 3 < customers * 4 + 4) want *= 2;
    if (want != slots_.size()) {
        std::vector<Slot> old = std::move(slots_);
        slots_.assign(want, Slot{});
        for (const Slot& slot : old)
            if (slot.head != 0) *Find((std::uint64_t{slot.key_high} << 32) | slot.key_low) = slot;
    }
}

void BoilerplateIndex::Add(std::string_view customer, std::string_view text, std::int64_t sent_unix) {
    Add(customer, FingerprintOf(text), sent_unix);
}

void BoilerplateIndex::Add(std::string_view customer, const Fingerprint& fingerprint, std::int64_t sent_unix) {
    std::uint64_t key = KeyOf(customer);
    std::unique_lock lock(mutex_);
    if ((customers_ + 1) * 4 > slots_.size() * 3) Grow();
    Slot* slot = Find(key);
    if (slot->head == 0) {
        slot->key_low = static_cast<std::uint32_t>(key);
        slot->key_high = static_cast<std::uint32_t>(key >> 32);
        ++customers_;
    }
    std::size_t index = count_++;
    if ((index >> kChunkBits) == chunks_.size()) chunks_.push_back(std::make_unique<Record[]>(std::size_t{1} << kChunkBits));
    Record& record = chunks_[index >> kChunkBits][index & ((1u << kChunkBits) - 1)];
    record.simhash_low = static_cast<std::uint32_t>(fingerprint.simhash);
    record.simhash_high = static_cast<std::uint32_t>(fingerprint.simhash >> 32);
    record.sentence[0] = fingerprint.sentence_count > 0 ? fingerprint.sentences[0] : 0;
    record.sentence[1] = fingerprint.sentence_count > 1 ? fingerprint.sentences[1] : 0;
    record.previous = slot->head;
    slot->head = static_cast<std::uint32_t>(index + 1);

    std::uint64_t sequence = first_sequence_ + recent_.size();
    recent_.push_back(Recent{fingerprint.simhash, key, sent_unix});
    for (std::size_t b = 0; b < blocks_; ++b) buckets_[BucketIndex(fingerprint.simhash, b)].sequences.push_back(sequence);
    while (!recent_.empty() && (recent_.size() > options_.window_capacity ||
                                recent_.front().sent_unix < sent_unix - options_.window_seconds)) {
        // The oldest message is at the head of each of its buckets (buckets fill in sequence order).
        for (std::size_t b = 0; b < blocks_; ++b) {
            Bucket& bucket = buckets_[BucketIndex(recent_.front().simhash, b)];
            ++bucket.head;
            if (bucket.head * 2 > bucket.sequences.size() && bucket.head > 16) {
                bucket.sequences.erase(bucket.sequences.begin(), bucket.sequences.begin() + static_cast<std::ptrdiff_t>(bucket.head));
                bucket.head = 0;
            }
        }
        recent_.pop_front();
        ++first_sequence_;
    }
}

std::optional<BoilerplateHit> BoilerplateIndex::Check(std::string_view customer, const Fingerprint& draft,
                                                      std::int64_t now_unix) const {
    std::uint64_t key = KeyOf(customer);
    std::shared_lock lock(mutex_);
    const Slot* slot = Find(key);
    std::optional<BoilerplateHit> best;
    std::size_t seen = 0;
    for (std::uint32_t link = slot->head; link != 0 && seen < options_.history_per_customer; ++seen) {
        const Record& record = At(link - 1);
        link = record.previous;
        std::uint64_t simhash = (std::uint64_t{record.simhash_high} << 32) | record.simhash_low;
        int distance = HammingDistance(simhash, draft.simhash);
        bool shared = false;
        for (std::size_t i = 0; i < draft.sentence_count && !shared; ++i)
            shared = draft.sentences[i] == record.sentence[0] || draft.sentences[i] == record.sentence[1];
        if (distance <= options_.near_distance || shared) {
            if (!best || distance < best->distance)
                best = BoilerplateHit{BoilerplateHit::Kind::kRepeatsCustomer, distance, shared, 0};
        }
    }
    if (best) return best;

    std::vector<std::uint64_t> others;
    for (std::size_t b = 0; b < blocks_; ++b) {
        const Bucket& bucket = buckets_[BucketIndex(draft.simhash, b)];
        for (std::size_t i = bucket.head; i < bucket.sequences.size(); ++i) {
            std::uint64_t sequence = bucket.sequences[i];
            if (sequence < first_sequence_) continue;
            const Recent& r = recent_[static_cast<std::size_t>(sequence - first_sequence_)];
            if (r.sent_unix < now_unix - options_.window_seconds || r.customer == key ||
                HammingDistance(r.simhash, draft.simhash) > options_.near_distance)
                continue;
            if (std::find(others.begin(), others.end(), r.customer) == others.end()) {
                others.push_back(r.customer);
                if (others.size() >= options_.mass_recipients)
                    return BoilerplateHit{BoilerplateHit::Kind::kMassSend, 0, false, others.size()};
            }
        }
    }
    return std::nullopt;
}

std::size_t BoilerplateIndex::size() const {
    std::shared_lock lock(mutex_);
    return count_;
}

std::size_t BoilerplateIndex::BucketBytes() const {
    std::size_t bytes = buckets_.capacity() * sizeof(Bucket);
    for (const Bucket& bucket : buckets_) bytes += bucket.sequences.capacity() * sizeof(std::uint64_t);
    return bytes;
}

std::size_t BoilerplateIndex::MemoryBytes() const {
    std::shared_lock lock(mutex_);
    return chunks_.size() * (sizeof(Record) << kChunkBits) + chunks_.capacity() * sizeof(chunks_[0]) +
           slots_.capacity() * sizeof(Slot) + recent_.size() * sizeof(Recent) + BucketBytes();
}

}  // namespace amends::coach
