#include "report/people_facts.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"
#include "report/html_text.h"
#include "run_folder/run_folder.h"

namespace alprsim::report {

namespace {

using nlohmann::json;

// The k de Montjoye et al. report on (four points identify 95% of people), else the largest.
constexpr int kHeadlineUnicityPoints = 4;

[[noreturn]] void fail(const ReportRun& run, const std::string& where, const std::string& expected) {
    throw InputError(RunFolder(run.dir).results().string(), where, expected);
}

uint64_t countAt(const ReportRun& run, const json& obj, const std::string& key, const std::string& where) {
    if (!obj.contains(key)) return 0;
    const json& v = obj[key];
    if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<int64_t>() >= 0))
        fail(run, where + "/" + key, "a whole number >= 0");
    return v.get<uint64_t>();
}

std::optional<PlaceFinding> placeFinding(const ReportRun& run, const json& entry, const char* section, const std::string& where) {
    if (!entry.contains(section) || !entry[section].is_object()) return std::nullopt;
    const json& p = entry[section];
    const std::string at = where + "/" + section;
    PlaceFinding f;
    f.available = p.value("available", false) == true;
    if (p.contains("reason") && p["reason"].is_string()) f.reason = p["reason"].get<std::string>();
    f.vehicles = countAt(run, p, "vehicles", at);
    f.inferred = countAt(run, p, "inferred", at);
    f.correct = countAt(run, p, "correct", at);
    f.wrong = countAt(run, p, "wrong", at);
    if (f.correct + f.wrong > f.vehicles && f.available) fail(run, at, "correct + wrong at most vehicles");
    return f;
}

std::optional<double> numberAt(const json& doc, const std::string& pointer) {
    const json::json_pointer ptr(pointer);
    if (!doc.contains(ptr) || !doc.at(ptr).is_number()) return std::nullopt;
    return doc.at(ptr).get<double>();
}

std::string viewPhrase(const std::string& view) {
    if (view == "pooled") return "the reads of every agency together";
    if (view.rfind("local:", 0) == 0) return view.substr(6) + "'s own reads";
    return "the reads";
}

std::string keptPhrase(double seconds) { return std::isfinite(seconds) ? "kept " + durationText(seconds) : "kept forever"; }

}  // namespace

std::optional<PeopleFacts> extractPeopleFacts(const ReportRun& run, const RunFacts& facts) {
    const json* views = nullptr;
    const json::json_pointer viewsPtr("/metrics/reconstructibility/views");
    if (run.results.contains(viewsPtr)) views = &run.results.at(viewsPtr);
    if (!views || !views->is_array()) return std::nullopt;
    PeopleFacts p;
    p.label = facts.label;
    p.view = facts.mainView();
    p.vehicles = facts.vehicles;
    p.placeRadiusMetres = numberAt(run.results, "/metrics/reconstructibility/definitions/place_radius_m");
    p.timeBinSeconds = numberAt(run.results, "/metrics/reconstructibility/definitions/unicity/time_bin_s");
    // The view's longest retention: what an agency that keeps its reads holds at the end.
    for (size_t v = 0; v < views->size(); ++v) {
        const json& view = (*views)[v];
        if (!view.is_object() || view.value("view", std::string()) != p.view) continue;
        const json& entries = view.contains("by_retention") ? view["by_retention"] : json();
        if (!entries.is_array() || entries.empty()) return std::nullopt;
        // "forever" when the view has it, else the last (the longest: the analysis lists periods ascending).
        size_t chosen = entries.size() - 1;
        for (size_t i = 0; i < entries.size(); ++i)
            if (entries[i].is_object() && entries[i].value("retention", std::string()) == "forever") chosen = i;
        if (!entries[chosen].is_object())
            fail(run, "/metrics/reconstructibility/views/" + std::to_string(v) + "/by_retention/" + std::to_string(chosen),
                 "an object");
        p.retentionSeconds = std::numeric_limits<double>::infinity();
        if (entries[chosen].value("retention", std::string()) != "forever") {
            p.retentionSeconds = 0;
            for (const RetentionShare& s : facts.retention)
                if (s.view == p.view && std::isfinite(s.retentionSeconds))
                    p.retentionSeconds = std::max(p.retentionSeconds, s.retentionSeconds);
        }
        const json& entry = entries[chosen];
        const std::string where =
            "/metrics/reconstructibility/views/" + std::to_string(v) + "/by_retention/" + std::to_string(chosen);
        p.home = placeFinding(run, entry, "home", where);
        p.work = placeFinding(run, entry, "work", where);
        if (entry.contains("unicity") && entry["unicity"].is_object()) {
            const json& u = entry["unicity"];
            p.tracesTotal = countAt(run, u, "traces", where + "/unicity");
            p.tracesTested = countAt(run, u, "traces_tested", where + "/unicity");
            if (u.contains("by_points") && u["by_points"].is_array())
                for (size_t i = 0; i < u["by_points"].size(); ++i) {
                    const json& k = u["by_points"][i];
                    const std::string at = where + "/unicity/by_points/" + std::to_string(i);
                    if (!k.is_object() || !k.contains("k") || !k["k"].is_number_integer())
                        fail(run, at + "/k", "a whole number of points");
                    UnicityFinding f{k["k"].get<int>(), countAt(run, k, "traces", at), countAt(run, k, "unique", at)};
                    if (f.unique > f.traces) fail(run, at + "/unique", "at most traces");
                    p.unicity.push_back(f);
                }
        }
        return p;
    }
    return std::nullopt;
}

std::string homeSentence(const PeopleFacts& p, const PlaceFinding& f, const std::string& place) {
    const std::string kept = keptPhrase(p.retentionSeconds);
    if (!f.available || f.vehicles == 0)
        return "<b>" + esc(place == "home" ? "Home" : "Workplace") + "</b>: not measured in " + esc(p.label) +
               (f.reason.empty() ? std::string(".") : ": " + esc(f.reason) + ".");
    const std::string radius = p.placeRadiusMetres ? " (within " + numberText(*p.placeRadiusMetres) + " m)" : "";
    const std::string how = place == "home" ? "where each car is read first in the morning and last at night"
                                            : "where each car stops for hours in the daytime";
    return "<b>" + esc(place == "home" ? "Home" : "Workplace") + "</b>: with " + esc(viewPhrase(p.view)) + " " + esc(kept) +
           ", an analyst looking at " + how + " finds the right " + esc(place) + radius + " for " + countText(f.correct) +
           " of the " + countText(f.vehicles) + " cars that have one (" + percentText(double(f.correct) / double(f.vehicles)) +
           "). For " + countText(f.wrong) + " more, the reads point to a wrong place.";
}

std::string unicitySentence(const PeopleFacts& p) {
    const UnicityFinding* chosen = nullptr;
    for (const UnicityFinding& u : p.unicity)
        if (u.k == kHeadlineUnicityPoints || !chosen || (chosen->k != kHeadlineUnicityPoints && u.k > chosen->k)) chosen = &u;
    if (!chosen) return "";
    const UnicityFinding& u = *chosen;
    const std::string k = std::to_string(u.k);
    const std::string bin =
        p.timeBinSeconds ? " (reads by one camera within the same " + durationText(*p.timeBinSeconds) + " slot count once)" : "";
    const std::string all = p.vehicles && *p.vehicles > 0 ? countText(*p.vehicles) : "";
    std::string s = "<b>Singled out by " + k + " reads</b>: ";
    if (u.traces == 0) {
        s += "no plate was read at " + k + " or more different places and times" + esc(bin) +
             ", so no car is singled out this way" +
             (all.empty() ? std::string("") : " (0% of all " + all + " cars in the run)") + ".";
    } else {
        s += countText(u.traces) + " plates were read at " + k + " or more different places and times" + esc(bin) + ". Knowing " +
             k + " of those reads, picked at random, is enough to tell " + countText(u.unique) +
             " of them apart from every other car: " + percentText(double(u.unique) / double(u.traces)) + " of those " +
             countText(u.traces) + " plates";
        if (!all.empty())
            s += ", which is " + percentText(double(u.unique) / double(*p.vehicles)) + " of all " + all + " cars in the run";
        s += ". The other cars were read too rarely to be picked out this way.";
    }
    if (p.tracesTested > 0 && p.tracesTested < p.tracesTotal)
        s += " (Measured on a random sample of " + countText(p.tracesTested) + " of the " + countText(p.tracesTotal) +
             " plates read.)";
    return s;
}

std::string peopleSectionHtml(const std::vector<PeopleFacts>& people) {
    if (people.empty()) return "";
    std::string html =
        "<h2>What the reads say about people</h2>\n"
        "<p>Beyond single trips, an agency that keeps reads can ask where a car spends its nights and its days, and "
        "whether a handful of reads is enough to know which car, and so whose, it is.</p>\n";
    // A sweep brings dozens of runs: the first few show what is measured, results.json has all.
    constexpr size_t kMaxRunsShown = 4;
    for (size_t i = 0; i < people.size() && i < kMaxRunsShown; ++i) {
        const PeopleFacts& p = people[i];
        html += "<div class=\"people\" id=\"people-" + std::to_string(i) + "\">\n<h3>" + esc(p.label) + "</h3>\n<ul>\n";
        if (p.home) html += "<li class=\"people-home\">" + homeSentence(p, *p.home, "home") + "</li>\n";
        if (p.work) html += "<li class=\"people-work\">" + homeSentence(p, *p.work, "workplace") + "</li>\n";
        const std::string unicity = unicitySentence(p);
        if (!unicity.empty()) html += "<li class=\"people-unicity\">" + unicity + "</li>\n";
        html += "</ul>\n</div>\n";
    }
    if (people.size() > kMaxRunsShown)
        html += "<p class=\"note\">The other " + std::to_string(people.size() - kMaxRunsShown) +
                " runs' figures are in their results.json (metrics.reconstructibility), and a sweep's summary.csv has their "
                "means.</p>\n";
    return html;
}

}  // namespace alprsim::report
