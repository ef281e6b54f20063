#pragma once
// Internal to status/: the orders in which the renderers list things, shared by the JSON, the feeds and HTML.

#include <vector>

#include "status/model.h"

namespace amends::status {

// Top-level components by position (then name, id), each group followed by its children in the same order.
std::vector<const Component*> OrderedComponents(const Page& page);
// The children of a group, ordered.
std::vector<const Component*> ChildrenOf(const Page& page, const Component& group);
// Incidents newest first by created_at (then id).
std::vector<const Incident*> NewestIncidents(const Page& page);
// Maintenances by scheduled_for, latest first (newest_first) or soonest first.
std::vector<const Incident*> MaintenancesByStart(const Page& page, bool newest_first);
// Incidents and maintenances together, newest first by created_at (the feeds' and history's order).
std::vector<const Incident*> AllNewestFirst(const Page& page);

}  // namespace amends::status
