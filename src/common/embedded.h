#pragma once
// A file compiled into the binary by cmake/embed.cmake (migrations, the OpenAPI document, page assets).

#include <span>
#include <string_view>

namespace amends {

struct EmbeddedFile {
    std::string_view name;
    std::string_view content;
};

}  // namespace amends
