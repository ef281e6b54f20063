#include "cli/debrief_command.h"

#include <charconv>
#include <cstdio>
#include <filesystem>

#include "app/debriefs.h"
#include "rca/render.h"
#include "store/store.h"

namespace amends::cli {

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 64;
constexpr int kExitNoInput = 66;

int Fail(int code, const std::string& message) {
    std::fprintf(stderr, "amends: %s\n", message.c_str());
    return code;
}

}  // namespace

int RunDebrief(const DebriefFlags& flags) {
    Id id = 0;
    auto [end, ec] = std::from_chars(flags.id.data(), flags.id.data() + flags.id.size(), id);
    if (ec != std::errc() || end != flags.id.data() + flags.id.size() || id <= 0)
        return Fail(kExitUsage, "ID must be a debrief's id (a positive integer), not '" + flags.id + "'");
    std::error_code missing;
    if (!std::filesystem::is_regular_file(flags.db, missing))
        return Fail(kExitNoInput, "no database file " + flags.db + " (--db)");
    auto store = store::OpenSqlite({flags.db});
    if (!store) return Fail(kExitFailed, store.error().message);
    Expected<app::StoredDebrief> found = amends::Fail(ErrorCode::kInternal, "not read");
    (*store)->Read([&](store::Tx& tx) { found = app::LoadDebrief(tx, id); });
    (*store)->Close();
    if (!found) return Fail(kExitFailed, found.error().message);
    std::string markdown = flags.public_ ? rca::RenderMarkdown(rca::ToPublic(found->debrief))
                                         : rca::RenderMarkdown(found->debrief);
    std::string out = flags.html ? rca::MarkdownToHtml(markdown) : markdown;
    std::fwrite(out.data(), 1, out.size(), stdout);
    return 0;
}

}  // namespace amends::cli
