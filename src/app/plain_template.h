#pragma once
// Mustache templates rendered as plain text (no HTML escaping): the words of notices and emails. Parse once, render
// for many customers. Include only where templates are rendered: kainjow's header is large.

#include <kainjow/mustache.hpp>

#include <optional>
#include <string>

namespace amends::app {

class PlainTemplate {
public:
    explicit PlainTemplate(const std::string& text) : tmpl_(text) {
        tmpl_.set_custom_escape([](const std::string& s) { return s; });
    }
    // Why the template does not parse, if it does not.
    std::optional<std::string> Error() const {
        if (tmpl_.is_valid()) return std::nullopt;
        return tmpl_.error_message();
    }
    std::string Render(const kainjow::mustache::data& data) { return tmpl_.render(data); }

private:
    kainjow::mustache::mustache tmpl_;
};

}  // namespace amends::app
