#include "rca/render.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "rca/json.h"
#include "rca/rca_testing.h"

namespace amends::rca {
namespace {

using testing::At;
using testing::CarWithoutFullTank;
using testing::Fix;

TEST(RcaRender, ThePublicRenderingLeavesCustomerDataOut) {
    Debrief d = CarWithoutFullTank(false, CauseType::kNoRule);
    d.timeline = {{At("2026-03-01T17:00:00Z"), "Ann Smith (ann@example.com) collected car VIN 123", std::nullopt, 41, 7},
                  {At("2026-03-01T18:00:00Z"), "Ann Smith called: tank empty", "A customer told us the tank was empty",
                   41, 8}};
    d.impact = {1, 3, 1, 7500};
    d.actions = {Fix(1, "add the step to the pre-delivery checklist", "2026-03-31")};
    d.actions[0].owner = "user:2 (Bob Jones)";
    Action dropped = Fix(1, "hire a fuel attendant", "2026-03-31");
    dropped.status = ActionStatus::kNotDoing;
    dropped.reason = "Ann Smith's dealer says no";
    d.actions.push_back(dropped);
    d.scope = Scope::kSystemic;
    d.scope_reason = "Bob Jones forgot";

    const std::string internal = RenderMarkdown(d);
    EXPECT_NE(internal.find("Ann Smith"), std::string::npos);
    EXPECT_NE(internal.find("75.00"), std::string::npos);

    const PublicDebrief p = ToPublic(d);
    const std::string public_md = RenderMarkdown(p);
    const std::string public_json = nlohmann::json(p).dump();
    for (const std::string& text : {public_md, public_json}) {
        for (const char* secret : {"Ann", "ann@example.com", "VIN", "Bob", "user:2", "75.00", "7500", "fuel attendant",
                                   "41"})
            EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in\n" << text;
    }
    EXPECT_NE(public_md.find("A customer told us the tank was empty"), std::string::npos);
    EXPECT_NE(public_md.find("add the step to the pre-delivery checklist"), std::string::npos);
}

TEST(RcaRender, HtmlOmitsRawHtmlAndDangerousLinks) {
    const std::string html =
        MarkdownToHtml("# Title\n\n<script>alert(1)</script>\n\nSee [this](javascript:alert(1)) and *that*.\n");
    EXPECT_NE(html.find("<h1>Title</h1>"), std::string::npos);
    EXPECT_NE(html.find("<em>that</em>"), std::string::npos);
    EXPECT_EQ(html.find("<script>"), std::string::npos);
    EXPECT_EQ(html.find("javascript:"), std::string::npos);
}

TEST(RcaRender, AFieldCannotOpenABlockOfItsOwn) {
    Debrief d = CarWithoutFullTank(true, CauseType::kRuleNotFollowed);
    d.whys[1].answer = "skipped\n# Owned";
    const std::string md = RenderMarkdown(ToPublic(d));
    EXPECT_EQ(md.find("\n# Owned"), std::string::npos);
}

}  // namespace
}  // namespace amends::rca
