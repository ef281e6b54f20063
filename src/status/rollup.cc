#include "status/rollup.h"

#include <algorithm>

namespace amends::status {
namespace {

constexpr std::string_view kAllOperational = "All Systems Operational";
constexpr std::string_view kMajorSystemOutage = "Major System Outage";
constexpr std::string_view kPartialSystemOutage = "Partial System Outage";
constexpr std::string_view kMinorServiceOutage = "Minor Service Outage";
constexpr std::string_view kDegradedSystemService = "Degraded System Service";
constexpr std::string_view kPartiallyDegradedService = "Partially Degraded Service";
constexpr std::string_view kServiceUnderMaintenance = "Service Under Maintenance";

// none < minor < major < critical; maintenance is handled apart.
int Rank(Indicator i) {
    switch (i) {
        case Indicator::kNone: return 0;
        case Indicator::kMinor: return 1;
        case Indicator::kMajor: return 2;
        case Indicator::kCritical: return 3;
        case Indicator::kMaintenance: return 0;
    }
    return 0;
}

Indicator OfImpact(Impact i) {
    switch (i) {
        case Impact::kMinor: return Indicator::kMinor;
        case Impact::kMajor: return Indicator::kMajor;
        case Impact::kCritical: return Indicator::kCritical;
        default: return Indicator::kNone;
    }
}

std::string_view OneComponent(ComponentStatus s) {
    switch (s) {
        case ComponentStatus::kOperational: return kAllOperational;
        case ComponentStatus::kUnderMaintenance: return kServiceUnderMaintenance;
        case ComponentStatus::kDegradedPerformance: return kPartiallyDegradedService;
        case ComponentStatus::kPartialOutage: return kPartialSystemOutage;
        case ComponentStatus::kMajorOutage: return kMajorSystemOutage;
    }
    return kAllOperational;
}

}  // namespace

Impact ImpactOfComponents(ComponentStatus worst) {
    switch (worst) {
        case ComponentStatus::kMajorOutage: return Impact::kCritical;
        case ComponentStatus::kPartialOutage: return Impact::kMajor;
        case ComponentStatus::kDegradedPerformance: return Impact::kMinor;
        default: return Impact::kNone;
    }
}

TopStatus ComputeStatus(const Page& page) {
    std::size_t leaves = 0, major = 0, partial = 0, degraded = 0, maintenance = 0;
    ComponentStatus only = ComponentStatus::kOperational;
    ComponentStatus worst = ComponentStatus::kOperational;
    for (const auto& c : page.components) {
        if (c.group) continue;
        ++leaves;
        only = c.status;
        if (Severity(c.status) > Severity(worst)) worst = c.status;
        major += c.status == ComponentStatus::kMajorOutage;
        partial += c.status == ComponentStatus::kPartialOutage;
        degraded += c.status == ComponentStatus::kDegradedPerformance;
        maintenance += c.status == ComponentStatus::kUnderMaintenance;
    }
    Impact worst_impact = Impact::kNone;
    for (const auto& i : page.incidents)
        if (IsOpen(i.status) && Rank(OfImpact(i.impact)) > Rank(OfImpact(worst_impact))) worst_impact = i.impact;
    const bool maintenance_under_way =
        std::any_of(page.maintenances.begin(), page.maintenances.end(), [](const Incident& m) {
            return m.status == IncidentStatus::kInProgress || m.status == IncidentStatus::kVerifying;
        });

    std::string_view description = kAllOperational;
    if (leaves == 1) {
        description = OneComponent(only);
    } else if (leaves >= 2) {
        if (major == leaves) description = kMajorSystemOutage;
        else if (major > 0 || partial == leaves) description = kPartialSystemOutage;
        else if (partial > 0) description = kMinorServiceOutage;
        else if (degraded == leaves) description = kDegradedSystemService;
        else if (degraded > 0) description = kPartiallyDegradedService;
        else if (maintenance > 0) description = kServiceUnderMaintenance;
    }
    if (description == kAllOperational) {
        if (maintenance_under_way) description = kServiceUnderMaintenance;
        switch (worst_impact) {
            case Impact::kMinor: description = kMinorServiceOutage; break;
            case Impact::kMajor: description = kPartialSystemOutage; break;
            case Impact::kCritical: description = kMajorSystemOutage; break;
            default: break;
        }
    }

    Indicator from_components = Indicator::kNone;
    if (worst == ComponentStatus::kMajorOutage || worst == ComponentStatus::kPartialOutage)
        from_components = Indicator::kMajor;
    else if (worst == ComponentStatus::kDegradedPerformance)
        from_components = Indicator::kMinor;
    Indicator indicator = Rank(OfImpact(worst_impact)) > Rank(from_components) ? OfImpact(worst_impact)
                                                                                : from_components;
    if (indicator == Indicator::kNone && (maintenance_under_way || maintenance > 0)) indicator = Indicator::kMaintenance;
    return TopStatus{indicator, std::string(description)};
}

}  // namespace amends::status
