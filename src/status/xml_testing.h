#pragma once
// Test helpers: run xmllint (Debian's libxml2-utils) on rendered bytes. Test-only.

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace amends::status::testing {

struct CommandResult {
    int status = -1;
    std::string output;  // stdout and stderr
};

// Writes `content` to a temporary file, runs `xmllint ARGS FILE`, removes the file.
inline CommandResult Xmllint(const std::string& args, const std::string& content) {
    std::string path = (std::filesystem::temp_directory_path() / "amends-status-XXXXXX").string();
    const int fd = mkstemp(path.data());
    if (fd < 0) return {};
    close(fd);
    std::ofstream(path, std::ios::binary) << content;
    CommandResult r;
    if (FILE* p = popen(("xmllint " + args + " '" + path + "' 2>&1").c_str(), "r")) {
        char buf[4096];
        std::size_t n;
        while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
        r.status = pclose(p);
    }
    std::filesystem::remove(path);
    return r;
}

// The value of an XPath expression (count(), string()) over `content`.
inline std::string XPath(const std::string& content, const std::string& expression) {
    std::string out = Xmllint("--xpath \"" + expression + "\"", content).output;
    if (!out.empty() && out.back() == '\n') out.pop_back();  // xmllint ends what it prints with a newline
    return out;
}

}  // namespace amends::status::testing
