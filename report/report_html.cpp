#include "report/report_html.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "report/field_record_section.h"
#include "report/html_text.h"
#include "report/sweep_charts.h"

namespace alprsim::report {

namespace {

using nlohmann::json;

// One metric's shares by retention period, in the run's main view (RunFacts::mainView).
std::map<double, double> retentionSeries(const RunFacts& run, const std::string& metric, std::string* viewOut = nullptr) {
    const std::string view = run.mainView();
    std::map<double, double> series;
    for (const RetentionShare& s : run.retention)
        if (s.metric == metric && s.view == view) series[s.retentionSeconds] = s.share;
    if (viewOut) *viewOut = view;
    return series;
}

const char* const kHeadlineMetric = "route_reconstructed";

// The view in words: where its reads came from, as the run says, else from its name.
std::string viewWords(const RunFacts& run, const std::string& view) {
    if (const auto found = run.viewSources.find(view); found != run.viewSources.end()) return " (" + found->second + ")";
    if (view == "pooled") return " (reads pooled across agencies)";
    if (view.rfind("local:", 0) == 0) return " (" + view.substr(6) + " keeping its own reads)";
    return "";
}

std::string camerasPhrase(const RunFacts& r) {
    if (!r.cameras) return "With cameras whose number the run does not state";
    std::string phrase = "With " + countText(*r.cameras) + (*r.cameras == 1 ? " camera" : " cameras");
    if (const std::string where = placementWords(r.placement); !where.empty()) phrase += " " + where;
    if (!r.agency.empty()) phrase += " (run by " + r.agency + ")";
    return phrase;
}

std::string simulatedWords(const RunFacts& r) {
    if (!r.simulatedBegin || !r.simulatedEnd) return "The run does not state the simulated time.";
    const int days = r.simulatedDays();
    return "Simulated " + clockText(*r.simulatedBegin) + " to " + clockText(*r.simulatedEnd) + " (" +
           numberText(std::round((*r.simulatedEnd - *r.simulatedBegin) / 360.0) / 10.0) + " hours) over " + std::to_string(days) +
           (days == 1 ? " day." : " days.");
}

std::string tableHtml(const std::vector<RunFacts>& runs) {
    // Retention columns: the shortest and the longest period any run measured.
    std::set<double> periods;
    for (const RunFacts& r : runs) {
        const auto series = retentionSeries(r, kHeadlineMetric);
        if (!series.empty()) periods.insert(series.begin()->first), periods.insert(series.rbegin()->first);
    }
    std::string html =
        "<table id=\"comparison\">\n<thead><tr><th>Scenario</th><th>Cameras</th><th>Trips simulated</th>"
        "<th>Seen by at least one camera</th><th>Seen by two or more</th>";
    for (double p : periods) html += "<th>Route reconstructed, reads kept " + esc(durationText(p)) + "</th>";
    html += "</tr></thead>\n<tbody>\n";
    for (const RunFacts& r : runs) {
        const auto series = retentionSeries(r, kHeadlineMetric);
        html += "<tr><td>" + esc(r.label) + "</td><td>" + (r.cameras ? countText(*r.cameras) : "not stated") + "</td><td>" +
                (r.tripsDeparted ? countText(*r.tripsDeparted) : "not stated") + "</td><td>" +
                (r.shareObserved ? percentText(*r.shareObserved) : "not measured") + "</td><td>" +
                (r.shareLinked ? percentText(*r.shareLinked) : "not measured") + "</td>";
        for (double p : periods) {
            const auto it = series.find(p);
            html += "<td>" + (it != series.end() ? percentText(it->second) : std::string("not measured")) + "</td>";
        }
        html += "</tr>\n";
    }
    return html + "</tbody>\n</table>\n";
}

std::string comparisonLede(const std::vector<RunFacts>& runs) {
    std::vector<const RunFacts*> measured;
    for (const RunFacts& r : runs)
        if (r.shareLinked) measured.push_back(&r);
    if (measured.empty()) return "<p class=\"lede\">These runs hold no trip coverage to compare.</p>\n";
    if (measured.size() == 1)
        return "<p class=\"lede\">In " + esc(measured[0]->label) + ", " + percentText(*measured[0]->shareLinked) +
               " of car trips were read by two or more cameras: an agency holding the reads knows when and which way those cars "
               "went.</p>\n";
    const auto [least, most] = std::minmax_element(
        measured.begin(), measured.end(), [](const RunFacts* a, const RunFacts* b) { return *a->shareLinked < *b->shareLinked; });
    return "<p class=\"lede\">Across " + std::to_string(measured.size()) +
           " scenarios, the share of car trips read by two or more cameras "
           "(when and which way the car went) ranges from " +
           percentText(*(*least)->shareLinked) + " in " + esc((*least)->label) + " to " + percentText(*(*most)->shareLinked) +
           " in " + esc((*most)->label) + ".</p>\n";
}

std::string mapSection(const ReportModel& model) {
    std::string html = "<h2>Map</h2>\n";
    if (model.map.is_null()) return html + "<p class=\"missing\">" + esc(model.mapNote) + "</p>\n";
    return html +
           "<div id=\"map\" role=\"img\" aria-label=\"Map of the roads, cameras and an example trip\"></div>\n"
           "<ul class=\"legend\" id=\"map-legend\"></ul>\n<p class=\"note\">" +
           esc(model.mapNote) + "</p>\n";
}

std::string chartHtml(const ChartPlan& c) {
    std::string html = "<h3>" + esc(c.title) + "</h3>\n";
    if (c.available)
        return html + "<div class=\"chart\" id=\"chart-" + esc(c.id) + "\"></div>\n<p class=\"caption\">" + esc(c.caption) +
               "</p>\n";
    return html + "<p class=\"missing\" id=\"missing-" + esc(c.id) + "\">" + esc(c.missing) + "</p>\n";
}

// A sweep's curves lead the page: they are its answer (the runs' own figures follow).
std::string sweepsSection(const ReportModel& model) {
    std::string charts;
    for (const ChartPlan& c : model.charts)
        if (isSweepChart(c)) charts += chartHtml(c);
    if (charts.empty()) return "";
    std::string html = "<h2>What the sweep shows</h2>\n";
    for (const std::string& sentence : model.sweepSentences) html += "<p class=\"finding\">" + esc(sentence) + "</p>\n";
    return html + charts;
}

std::string chartsSection(const ReportModel& model) {
    std::string html = "<h2>Charts</h2>\n";
    for (const ChartPlan& c : model.charts)
        if (!isSweepChart(c)) html += chartHtml(c);  // sweep charts are in sweepsSection
    return html;
}

// A threshold from the analysis's definitions as text, or "" when the run does not state it.
std::string threshold(const json& definitions, const char* key, double scale, const char* unit) {
    if (!definitions.is_object() || !definitions.contains(key) || !definitions[key].is_number()) return "";
    return numberText(definitions[key].get<double>() * scale) + unit;
}

std::string definitionsHtml(const std::vector<RunFacts>& runs) {
    std::string html =
        "<dl>\n<dt>Trip</dt><dd>One car's journey from where it starts to where it stops.</dd>\n"
        "<dt>Seen by at least one camera</dt><dd>At least one read of the car's plate while the trip was under way.</dd>\n"
        "<dt>Seen by two or more cameras (linked)</dt><dd>At least two reads during the trip: enough to tell when and in "
        "which direction the car travelled.</dd>\n";
    const RunFacts* analysed = nullptr;
    for (const RunFacts& r : runs)
        if (!analysed && !r.retention.empty()) analysed = &r;
    if (!analysed) return html + "</dl>\n";
    const json& d = analysed->definitions;
    const std::string radius = threshold(d, "endpoint_radius_m", 1, " m");
    const std::string coverage = threshold(d, "route_coverage_share", 100, "%");
    const std::string gap = threshold(d, "trip_gap_s", 1.0 / 60, " minutes");
    html +=
        "<dt>Retention</dt><dd>How long an agency keeps a read before deleting it. The agency looks at its reads at the end "
        "of the run; a deleted read can no longer be searched.</dd>\n"
        "<dt>Start and end both exposed</dt><dd>The reads put the car " +
        (radius.empty() ? std::string("near") : "within " + esc(radius) + " (by road) of") +
        " where the trip started and where it ended.</dd>\n"
        "<dt>Route reconstructed</dt><dd>Joining the trip's reads in time order along the likeliest roads between them gives "
        "a route that covers " +
        (coverage.empty() ? std::string("most") : "at least " + esc(coverage)) +
        " of the route the car really took. Only the plate strings as read are used, with misreads, as an agency would" +
        (gap.empty() ? std::string("") : "; reads of one plate more than " + esc(gap) + " apart start a new trip") +
        ".</dd>\n"
        "<dt>Pooled, local</dt><dd>Pooled: the reads of every agency in one store (as the state's CJIS requirement does). "
        "Local: each agency searching only its own reads.</dd>\n";
    return html + "</dl>\n";
}

std::string assumptionsHtml(const std::vector<RunFacts>& runs) {
    std::string html = "<ul>\n";
    for (const RunFacts& r : runs) {
        html += "<li><b>" + esc(r.label) + "</b>: ";
        if (r.vehicles) html += countText(*r.vehicles) + " cars";
        if (r.demandModel == "random-od")
            html += ", each making one trip between two random points on the road network (chosen in proportion to road length)";
        else if (!r.demandModel.empty())
            html += ", trips from the \"" + esc(r.demandModel) + "\" demand model";
        if (r.departWindowHours)
            html += ", leaving at random times over the first " + esc(numberText(*r.departWindowHours)) + " hours";
        html += ". " + esc(simulatedWords(r));
        if (!r.networkName.empty()) {
            html += " Roads: " + esc(r.networkName);
            if (r.networkKm) html += " (" + esc(numberText(*r.networkKm)) + " km of road)";
            html += ".";
        }
        if (r.simulationModel == "microscopic") html += " Every car is driven individually (SUMO's microscopic model).";
        if (r.simulationModel == "mesoscopic") html += " Cars move in queues per road (SUMO's mesoscopic model).";
        if (r.seed) html += " Random seed " + std::to_string(*r.seed) + ".";
        html += "</li>\n";
    }
    return html + "</ul>\n";
}

std::string methodSection(const ReportModel& model) {
    int maxDays = 0;
    for (const RunFacts& r : model.runs) maxDays = std::max(maxDays, r.simulatedDays());
    std::string html =
        "<h2>Method</h2>\n<p>Cars are simulated on the real roads of Massachusetts (from OpenStreetMap) with the SUMO traffic "
        "simulator. Virtual cameras record every car that passes them. Because the simulation knows which car really "
        "made each trip, every figure here is measured against that truth, not estimated. The trip counts attribute "
        "each read to the car that really passed, so they are what an agency that matches every plate correctly can "
        "reach.</p>\n";
    html += "<h3>Definitions</h3>\n" + definitionsHtml(model.runs);
    html += "<h3>Assumptions and simulated time</h3>\n" + assumptionsHtml(model.runs);
    if (maxDays <= 1)
        html +=
            "<p>These runs cover at most one simulated day, so nothing here measures what reads reveal over weeks "
            "(homes, workplaces, routines).</p>\n";
    return html;
}

std::string notesSection(const ReportModel& model) {
    if (model.notes.empty()) return "";
    std::string html = "<h2>Notes on the inputs</h2>\n<ul>\n";
    for (const std::string& note : model.notes) html += "<li>" + esc(note) + "</li>\n";
    return html + "</ul>\n";
}

std::string pageTitle(const ReportModel& model) {
    if (model.runs.size() == 1) return "Licence-plate cameras and privacy: " + model.runs.front().label;
    return "Licence-plate cameras and privacy: " + std::to_string(model.runs.size()) + " scenarios compared";
}

// Fills {{NAME}} placeholders in one pass, never looking inside what was inserted (a library
// could contain "{{").
std::string fillTemplate(const std::string& page, const std::map<std::string, std::string>& values) {
    std::string out;
    size_t at = 0;
    while (true) {
        const size_t open = page.find("{{", at);
        if (open == std::string::npos) break;
        const size_t close = page.find("}}", open);
        const auto it = close == std::string::npos ? values.end() : values.find(page.substr(open + 2, close - open - 2));
        if (it == values.end()) throw std::logic_error("report template: unknown placeholder at byte " + std::to_string(open));
        out.append(page, at, open - at);
        out += it->second;
        at = close + 2;
    }
    out.append(page, at, std::string::npos);
    return out;
}

// An inline script ends at the first "</script" (any case); where a library's text holds one
// (only possible inside a string, regex or comment), "<\/" means the same there.
std::string inlineScript(std::string js) {
    for (size_t at = 0; (at = js.find("</", at)) != std::string::npos; at += 3) {
        std::string tag = js.substr(at + 2, 6);
        std::transform(tag.begin(), tag.end(), tag.begin(), [](unsigned char c) { return std::tolower(c); });
        if (tag == "script") js.replace(at, 2, "<\\/");
    }
    return js;
}

}  // namespace

std::string findingHtml(const RunFacts& r) {
    std::string html = "<p class=\"finding\"><span class=\"scenario\">" + esc(r.label) + "</span>";
    if (!r.description.empty()) html += " <span class=\"description\">(" + esc(r.description) + ")</span>";
    html += ". " + esc(camerasPhrase(r));
    if (r.shareObserved && r.shareLinked) {
        html += ", " + percentText(*r.shareObserved) + " of the " + (r.tripsDeparted ? countText(*r.tripsDeparted) + " " : "") +
                "simulated car trips were seen by at least one camera, and " + percentText(*r.shareLinked) +
                " by two or more: enough to tell when and which way the car went.";
    } else {
        html += ", the run holds no trip coverage.";
    }
    std::string view;
    const auto linked = retentionSeries(r, "linked", &view);
    const auto routes = retentionSeries(r, kHeadlineMetric);
    if (!routes.empty() && !linked.empty()) {
        // Longest retention first (what a one-year or endless store gives away), then the shortest.
        const double longest = routes.rbegin()->first, shortest = routes.begin()->first;
        auto at = [](const std::map<double, double>& series, double period) {
            const auto it = series.find(period);
            return it == series.end() ? std::string("not measured") : percentText(it->second);
        };
        html += " Kept " + esc(durationText(longest)) + esc(viewWords(r, view)) + ", the reads link " + at(linked, longest) +
                " of trips and reconstruct the route of " + at(routes, longest) + ".";
        if (shortest != longest)
            html += " Kept " + esc(durationText(shortest)) + ", " + at(linked, shortest) + " and " + at(routes, shortest) + ".";
    }
    return html + "</p>\n";
}

std::string renderBody(const ReportModel& model, const std::string& libraryVersions) {
    std::string html = "<header>\n<h1>" + esc(pageTitle(model)) + "</h1>\n" + comparisonLede(model.runs) + "</header>\n";
    html += sweepsSection(model);
    html += "<h2>In plain words</h2>\n";
    for (const RunFacts& r : model.runs) html += findingHtml(r);
    html += "<h2>The scenarios side by side</h2>\n" + tableHtml(model.runs);
    html += peopleSectionHtml(model.people);
    html += fieldRecordSection(model.runs);
    html += mapSection(model) + chartsSection(model) + methodSection(model) + notesSection(model);
    html += "<footer>Made by alprsim report from " + std::to_string(model.runs.size()) + " run(s): ";
    for (size_t i = 0; i < model.runs.size(); ++i) html += (i ? ", " : "") + esc(model.runs[i].id);
    html += ". Charts and map drawn in the page with " + esc(libraryVersions) +
            ", all inside this file (it needs no network).</footer>\n";
    return html;
}

std::string renderReportHtml(const ReportModel& model, const LibraryAssets& assets) {
    json data = reportBundle(model);
    data["map"] = model.map;
    const WebTemplate& web = webTemplate();
    return fillTemplate(web.html, {{"GENERATOR", "alprsim report"},
                                   {"TITLE", esc(pageTitle(model))},
                                   {"LEAFLET_CSS", assets.leafletCss},
                                   {"REPORT_CSS", web.css},
                                   {"GUARD_JS", inlineScript(web.guardJs)},
                                   {"BODY", renderBody(model, assets.versions)},
                                   {"DATA", jsonForScriptElement(data)},
                                   {"VEGA_JS", inlineScript(assets.vegaJs)},
                                   {"VEGA_LITE_JS", inlineScript(assets.vegaLiteJs)},
                                   {"LEAFLET_JS", inlineScript(assets.leafletJs)},
                                   {"REPORT_JS", inlineScript(web.reportJs)}});
}

}  // namespace alprsim::report
