#pragma once
// The top-level status ({indicator, description}) of a page, computed as Statuspage does from its components,
// its unresolved incidents and its maintenances in progress. The rules, with their sources, are in
// docs/status.md; in short:
//   description: blended from the leaf components (groups are containers, not counted):
//     all major_outage -> "Major System Outage"; some major_outage, or all partial_outage ->
//     "Partial System Outage"; some partial_outage -> "Minor Service Outage"; all degraded_performance ->
//     "Degraded System Service"; some degraded_performance -> "Partially Degraded Service"; any
//     under_maintenance or a maintenance in progress -> "Service Under Maintenance"; else, with an unresolved
//     incident of impact minor/major/critical, its impact's wording; else "All Systems Operational".
//     With one leaf component, its status maps directly (partial_outage -> "Partial System Outage", ...).
//   indicator: the worse of the worst unresolved incident's impact and the components' indicator
//     (major_outage or partial_outage -> major, degraded_performance -> minor); components alone never reach
//     critical (Atlassian support: status.json says major when a component is in major outage);
//     maintenance when nothing is worse and a maintenance is in progress or a component is under maintenance.

#include <string>

#include "status/model.h"

namespace amends::status {

struct TopStatus {
    Indicator indicator = Indicator::kNone;
    std::string description = "All Systems Operational";
    bool operator==(const TopStatus&) const = default;
};

TopStatus ComputeStatus(const Page& page);

// The impact Statuspage gives an incident from its components' statuses: major_outage -> critical,
// partial_outage -> major, degraded_performance -> minor, otherwise none.
Impact ImpactOfComponents(ComponentStatus worst);

}  // namespace amends::status
