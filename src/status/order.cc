#include "status/order.h"

#include <algorithm>
#include <string_view>
#include <tuple>

namespace amends::status {
namespace {

bool ComponentBefore(const Component* a, const Component* b) {
    return std::tie(a->position, a->name, a->id) < std::tie(b->position, b->name, b->id);
}

bool NewerFirst(const Incident* a, const Incident* b) {
    return std::tie(b->created_at, b->id) < std::tie(a->created_at, a->id);
}

}  // namespace

std::vector<const Component*> ChildrenOf(const Page& page, const Component& group) {
    std::vector<const Component*> out;
    for (const auto& c : page.components)
        if (c.group_id == group.id) out.push_back(&c);
    std::sort(out.begin(), out.end(), ComponentBefore);
    return out;
}

std::vector<const Component*> OrderedComponents(const Page& page) {
    std::vector<const Component*> top;
    for (const auto& c : page.components) {
        const Component* g = c.group_id ? page.FindComponent(*c.group_id) : nullptr;
        if (g == nullptr || !g->group) top.push_back(&c);  // a child of a missing group is shown at the top
    }
    std::sort(top.begin(), top.end(), ComponentBefore);
    std::vector<const Component*> out;
    for (const Component* c : top) {
        out.push_back(c);
        if (c->group)
            for (const Component* child : ChildrenOf(page, *c)) out.push_back(child);
    }
    return out;
}

std::vector<const Incident*> NewestIncidents(const Page& page) {
    std::vector<const Incident*> out;
    for (const auto& i : page.incidents) out.push_back(&i);
    std::sort(out.begin(), out.end(), NewerFirst);
    return out;
}

std::vector<const Incident*> MaintenancesByStart(const Page& page, bool newest_first) {
    std::vector<const Incident*> out;
    for (const auto& m : page.maintenances) out.push_back(&m);
    std::sort(out.begin(), out.end(), [&](const Incident* a, const Incident* b) {
        auto key = [](const Incident* m) {
            return std::make_tuple(m->scheduled_for.value_or(m->started_at), std::string_view(m->id));
        };
        auto ka = key(a), kb = key(b);
        return newest_first ? kb < ka : ka < kb;
    });
    return out;
}

std::vector<const Incident*> AllNewestFirst(const Page& page) {
    std::vector<const Incident*> out;
    for (const auto& i : page.incidents) out.push_back(&i);
    for (const auto& m : page.maintenances) out.push_back(&m);
    std::sort(out.begin(), out.end(), NewerFirst);
    return out;
}

}  // namespace amends::status
