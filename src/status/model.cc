#include "status/model.h"

namespace amends::status {

std::string_view Label(ComponentStatus s) {
    switch (s) {
        case ComponentStatus::kOperational: return "Operational";
        case ComponentStatus::kDegradedPerformance: return "Degraded Performance";
        case ComponentStatus::kPartialOutage: return "Partial Outage";
        case ComponentStatus::kMajorOutage: return "Major Outage";
        case ComponentStatus::kUnderMaintenance: return "Under Maintenance";
    }
    return "Unknown";
}

std::string_view Label(IncidentStatus s) {
    switch (s) {
        case IncidentStatus::kInvestigating: return "Investigating";
        case IncidentStatus::kIdentified: return "Identified";
        case IncidentStatus::kMonitoring: return "Monitoring";
        case IncidentStatus::kResolved: return "Resolved";
        case IncidentStatus::kPostmortem: return "Postmortem";
        case IncidentStatus::kScheduled: return "Scheduled";
        case IncidentStatus::kInProgress: return "In progress";
        case IncidentStatus::kVerifying: return "Verifying";
        case IncidentStatus::kCompleted: return "Completed";
    }
    return "Unknown";
}

std::string_view Label(Impact i) {
    switch (i) {
        case Impact::kNone: return "None";
        case Impact::kMinor: return "Minor";
        case Impact::kMajor: return "Major";
        case Impact::kCritical: return "Critical";
        case Impact::kMaintenance: return "Maintenance";
    }
    return "Unknown";
}

const Component* Page::FindComponent(std::string_view id) const {
    for (const auto& c : components)
        if (c.id == id) return &c;
    return nullptr;
}

const Incident* Page::FindIncident(std::string_view id) const {
    for (const auto& i : incidents)
        if (i.id == id) return &i;
    for (const auto& m : maintenances)
        if (m.id == id) return &m;
    return nullptr;
}

std::string PublicId(std::uint64_t n) {
    // Spread consecutive numbers over the id space (an odd multiplier is a bijection mod 2^64), then base 36.
    std::uint64_t x = n * 0x9E3779B97F4A7C15ULL;
    static constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    std::string out(13, '0');  // 36^13 > 2^64: 13 digits hold any value
    for (int i = 12; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = kDigits[x % 36];
        x /= 36;
    }
    return out;
}

}  // namespace amends::status
