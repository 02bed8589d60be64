#include <catch2/catch.hpp>

#include <limits>

#include <nlohmann/json.hpp>

#include "report/html_text.h"

using namespace alprsim::report;
using nlohmann::json;

TEST_CASE("text from files is escaped for HTML", "[report]") {
    CHECK(alprsim::escapeMarkup("<script>alert(\"x\")</script> & 'q'") ==
          "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;");
    CHECK(alprsim::escapeMarkup("Brookline 2011") == "Brookline 2011");
}

TEST_CASE("data inside a script element cannot close it", "[report]") {
    const json data = {{"name", "</script><script>alert(1)</script><!--"}, {"n", 3}};
    const std::string text = jsonForScriptElement(data);
    CHECK(text.find('<') == std::string::npos);
    CHECK(text.find('>') == std::string::npos);
    CHECK(json::parse(text) == data);  // the escapes mean the same characters
}

TEST_CASE("numbers read in plain words", "[report]") {
    CHECK(percentText(0.528) == "52.8%");
    CHECK(percentText(0.0) == "0.0%");
    CHECK(percentText(1.0) == "100.0%");
    CHECK(countText(7) == "7");
    CHECK(countText(300) == "300");
    CHECK(countText(20) == "20");
    CHECK(countText(12345) == "12,345");
    CHECK(countText(3000) == "3,000");
    CHECK(countText(1234567) == "1,234,567");
    CHECK(durationText(180) == "3 minutes");
    CHECK(durationText(60) == "1 minute");
    CHECK(durationText(21 * 86400.0) == "21 days");
    CHECK(durationText(365 * 86400.0) == "1 year");
    CHECK(durationText(5 * 365 * 86400.0) == "5 years");
    CHECK(durationText(48 * 3600.0) == "2 days");
    CHECK(durationText(std::numeric_limits<double>::infinity()) == "forever");
    CHECK(clockText(7 * 3600.0 + 36 * 60) == "07:36");
    CHECK(clockText(86400.0 + 6 * 3600) == "06:00");
}
