#include "report/field_record_section.h"

#include <cmath>

#include "report/html_text.h"

namespace alprsim::report {

namespace {

using nlohmann::json;

// A figure in its unit: shares as percentages, rates as whole numbers.
std::string valueText(double value, const std::string& unit) {
    if (unit == "share") {
        if (value > 0 && value < 0.001) return numberText(std::round(value * 100000) / 1000) + "%";
        return percentText(value);
    }
    return countText(static_cast<uint64_t>(std::llround(value)));
}

std::string bandText(const json& row) {
    const std::string unit = row.value("unit", "");
    const json& band = row.at("band");
    const json& typical = row.at("typical");
    std::string text = valueText(band.at(0).get<double>(), unit) + " to " + valueText(band.at(1).get<double>(), unit);
    if (typical != band)
        text += " (most sources " + valueText(typical.at(0).get<double>(), unit) + " to " +
                valueText(typical.at(1).get<double>(), unit) + ")";
    return text;
}

// Plain words for the causes results.json counts false alerts under.
std::string causeWords(const std::string& cause) {
    if (cause == "misread") return "misreads that spelled a listed plate";
    if (cause == "same_characters") return "plates with a listed plate's characters, matched without their state";
    if (cause == "stale") return "entries already cleared, still on the list until its next refresh";
    return cause;
}

std::string runTable(const RunFacts& r) {
    std::string html =
        "<table class=\"field-record\">\n<thead><tr><th>Figure</th><th>Simulated</th><th>Field record</th>"
        "<th>Inside?</th><th>Sources</th><th>Why it may differ</th></tr></thead>\n<tbody>\n";
    for (const json& row : r.fieldRecord) {
        if (!row.is_object() || !row.contains("band") || !row.contains("typical")) continue;
        const json& value = row.contains("simulated") ? row.at("simulated") : json(nullptr);
        const std::string unit = row.value("unit", "");
        std::string sources;
        if (row.contains("sources") && row.at("sources").is_array())
            for (const json& s : row.at("sources"))
                if (s.is_string()) sources += (sources.empty() ? "" : "; ") + s.get<std::string>();
        const json& inside = row.contains("inside") ? row.at("inside") : json(nullptr);
        html += "<tr><td>" + esc(row.value("words", row.value("figure", ""))) + "</td><td>" +
                (value.is_number() ? esc(valueText(value.get<double>(), unit)) : std::string("not measured")) + "</td><td>" +
                esc(bandText(row)) + "</td><td>" +
                (inside.is_boolean() ? std::string(inside.get<bool>() ? "yes" : "no") : std::string("-")) + "</td><td>" +
                esc(sources) + "</td><td>" + esc(row.value("note", "")) + "</td></tr>\n";
    }
    return html + "</tbody>\n</table>\n";
}

std::string causesText(const RunFacts& r) {
    if (r.falseAlertsByCause.empty() || !r.alerts) return "";
    uint64_t total = 0;
    for (const auto& [cause, n] : r.falseAlertsByCause) total += n;
    std::string html = "<p class=\"causes\">" + esc(r.label) + ": " + countText(total) + " of " + countText(*r.alerts) +
                       " hot-list alerts were false";
    std::string parts;
    for (const auto& [cause, n] : r.falseAlertsByCause)
        parts += (parts.empty() ? "" : ", ") + countText(n) + " " + causeWords(cause);
    return html + (total > 0 ? " (" + esc(parts) + ")" : "") + ".</p>\n";
}

}  // namespace

std::string fieldRecordSection(const std::vector<RunFacts>& runs) {
    std::string perfect;
    bool any = false;
    for (const RunFacts& r : runs) {
        any = any || (r.fieldRecord.is_array() && !r.fieldRecord.empty());
        if (r.recognitionMode == "perfect") perfect += (perfect.empty() ? "" : ", ") + r.label;
    }
    if (!any && perfect.empty()) return "";
    std::string html = "<h2>Against the field record</h2>\n";
    if (!perfect.empty())
        html += "<p class=\"perfect\">" + esc(perfect) + " used" +
                " perfect recognition: every plate read right, an upper bound that no real reader reaches. Its figures "
                "overstate what the cameras learn and show no misreads.</p>\n";
    for (const RunFacts& r : runs) {
        if (!r.fieldRecord.is_array() || r.fieldRecord.empty()) continue;
        html += "<h3>" + esc(r.label) + "</h3>\n" + runTable(r) + causesText(r);
    }
    return html;
}

}  // namespace alprsim::report
