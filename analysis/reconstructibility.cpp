#include "analysis/reconstructibility.h"

#include <fmt/format.h>

#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>

#include "analysis/adversary_view.h"
#include "analysis/home_towns.h"
#include "analysis/path_inference.h"
#include "analysis/place_inference.h"
#include "analysis/trip_reconstruction.h"
#include "analysis/trip_table.h"
#include "analysis/unicity.h"
#include "core/csv.h"
#include "core/error.h"
#include "core/files.h"
#include "core/hash.h"
#include "store/retention.h"
#include "run_folder/run_folder.h"

namespace alprsim {

namespace {

struct ViewResult {
    size_t readsVisible = 0;
    TripReconstruction trips;
    nlohmann::json json;
};

ViewResult analyzeView(const AnalysisData& data, const std::vector<uint32_t>& visible, const PathInference& paths,
                       const AnalysisConfig& config) {
    ViewResult v;
    v.readsVisible = visible.size();
    // The metrics are independent of one another: run them side by side (each is deterministic
    // on its own, so the results do not depend on how the threads interleave).
    ReadsByPlate byPlate;
    tbb::parallel_invoke([&] { v.trips = reconstructTrips(data, visible, paths, config); },
                         [&] { byPlate = ReadsByPlate::group(data, visible); });
    nlohmann::json inferred, identities, unicity;
    PlaceCounts home, work;
    tbb::parallel_invoke([&] { inferred = splitAndMatchTrips(data, byPlate, v.trips, config).toJson(); },
                         [&] { identities = countIdentityErrors(data, byPlate).toJson(); },
                         [&] { home = evaluatePlaces(data, byPlate, PlaceKind::Home, config); },
                         [&] { work = evaluatePlaces(data, byPlate, PlaceKind::Work, config); },
                         [&] { unicity = measureUnicity(data, byPlate, config).toJson(); });
    v.json = {{"reads_visible", visible.size()},
              {"trips", v.trips.counts.toJson()},
              {"inferred_trips", std::move(inferred)},
              {"identities", std::move(identities)},
              {"home", home.toJson()},
              {"work", work.toJson()},
              {"unicity", std::move(unicity)}};
    if (data.populationKnown) v.json["by_home_town"] = byHomeTown(data, v.trips, home, work);
    return v;
}

// The same reads give the same numbers: a view's read set, fingerprinted.
uint64_t fingerprint(const std::vector<uint32_t>& reads) {
    return fnv1a64({reinterpret_cast<const char*>(reads.data()), reads.size() * sizeof(uint32_t)});
}

// One view and where its reads come from (said in results.json beside its numbers).
struct ViewSpec {
    AdversaryView view;
    std::vector<std::string> agencies;  // as reported: whose reads the view can hold
    nlohmann::json source;
};

// The views, for one retention period. With a store network: the pooled view is the state store
// (what the sharing rules let into it), each local view an agency's own store, and
// "all-agencies" every agency store together. Without one: the pooled view is the union of every
// read the run made, each local view an agency's cameras' reads.
std::vector<ViewSpec> adversaryViews(const AnalysisData& data, const std::vector<uint32_t>& allAgencyStores, double retention,
                                     double auditTime) {
    std::vector<ViewSpec> views;
    if (data.stores) {
        const StoreNetworkHoldings& s = *data.stores;
        views.push_back({{"pooled", s.contributors, retention, auditTime, &s.state.reads},
                         s.contributors,
                         {{"kind", "state_store"},
                          {"files", {s.state.file}},
                          {"sharing_mode", s.sharingMode},
                          {"description", "the reads the state store held at the end of the run: what the sharing mode (" +
                                              s.sharingMode + ") let the contributing agencies send it, under its retention"}}});
        const std::vector<std::string> owners = data.agencies();
        std::vector<std::string> files;
        for (const StoreHoldings& h : s.agencies) {
            if (!std::binary_search(owners.begin(), owners.end(), h.store)) continue;  // owns no camera
            files.push_back(h.file);
            views.push_back({{"local:" + h.store, {h.store}, retention, auditTime, &h.reads},
                             {h.store},
                             {{"kind", "agency_store"},
                              {"files", {h.file}},
                              {"description", "the reads " + h.store + "'s own store held at the end of the run"}}});
        }
        views.push_back({{"all-agencies", {}, retention, auditTime, &allAgencyStores},
                         owners,
                         {{"kind", "union_of_agency_stores"},
                          {"files", files},
                          {"description",
                           "every agency store's reads together (what the agencies hold between them, "
                           "shared or not)"}}});
        return views;
    }
    views.push_back({{"pooled", {}, retention, auditTime},
                     data.agencies(),
                     {{"kind", "union_of_reads"},
                      {"files", {RunFolder::kReads}},
                      {"description",
                       "the run has no store network (no \"stores\" section), so no state store: the "
                       "pooled view is the union of every agency's reads"}}});
    for (const std::string& agency : data.agencies())
        views.push_back({{"local:" + agency, {agency}, retention, auditTime},
                         {agency},
                         {{"kind", "agency_cameras"},
                          {"files", {RunFolder::kReads}},
                          {"description", "the reads made by " + agency + "'s cameras"}}});
    return views;
}

// Every read held by some agency store, ascending.
std::vector<uint32_t> unionOfAgencyStores(const AnalysisData& data) {
    std::vector<uint32_t> all;
    if (!data.stores) return all;
    for (const StoreHoldings& h : data.stores->agencies) all.insert(all.end(), h.reads.begin(), h.reads.end());
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    return all;
}

nlohmann::json lineString(const AnalysisData& data, const std::vector<uint32_t>& edges) {
    nlohmann::json coords = nlohmann::json::array();
    for (uint32_t e : edges)
        for (const LatLon& p : data.roads.edges()[e].shapeWgs84) coords.push_back({p.lon, p.lat});
    return {{"type", "LineString"}, {"coordinates", coords}};
}

// Trips for the map: the best-reconstructed first (level, then coverage, then trip order).
nlohmann::json exampleTrips(const AnalysisData& data, const std::vector<uint32_t>& visible, const TripReconstruction& trips,
                            const PathInference& paths, const AnalysisConfig& config) {
    std::vector<uint32_t> order;
    for (uint32_t t = 0; t < data.trips.size(); ++t)
        if (trips.outcomes[t].linked()) order.push_back(t);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        const TripOutcome &x = trips.outcomes[a], &y = trips.outcomes[b];
        if (x.level() != y.level()) return x.level() > y.level();
        return x.routeCoverage > y.routeCoverage;
    });
    order.resize(std::min(order.size(), config.exampleTrips));
    std::map<uint32_t, std::vector<uint32_t>> readsOf;
    for (uint32_t t : order) readsOf[t];
    for (uint32_t i : visible) {
        const AnalysisRead& r = data.reads[i];
        if (r.trip != kNoIndex && data.correctlyRead(r) && readsOf.count(r.trip)) readsOf[r.trip].push_back(i);
    }
    nlohmann::json features = nlohmann::json::array();
    for (uint32_t t : order) {
        const AnalysisTrip& trip = data.trips[t];
        const TripOutcome& o = trips.outcomes[t];
        const nlohmann::json props = {{"trip", trip.id},
                                      {"vehicle", data.vehicles[trip.vehicle].id},
                                      {"level", toString(o.level())},
                                      {"route_coverage", o.routeCoverage},
                                      {"endpoints_exposed", o.endpointsExposed}};
        nlohmann::json trueProps = props, inferredProps = props;
        trueProps["kind"] = "true_route";
        inferredProps["kind"] = "inferred_route";
        features.push_back({{"type", "Feature"}, {"properties", trueProps}, {"geometry", lineString(data, trip.route)}});
        features.push_back({{"type", "Feature"},
                            {"properties", inferredProps},
                            {"geometry", lineString(data, inferredRoute(data, readsOf[t], paths, config))}});
        for (uint32_t i : readsOf[t]) {
            const AnalysisRead& r = data.reads[i];
            const AnalysisCamera& c = data.cameras[r.camera];
            features.push_back({{"type", "Feature"},
                                {"properties", {{"trip", trip.id}, {"kind", "read"}, {"camera", c.id}, {"time_s", r.time}}},
                                {"geometry", {{"type", "Point"}, {"coordinates", {c.where.lon, c.where.lat}}}}});
        }
    }
    return {{"type", "FeatureCollection"}, {"features", features}};
}

// Copies `source` to `target` row by row (never whole: a month's is gigabytes), with each
// trip's outcome in the added columns; earlier analysis columns are replaced, not repeated.
void writeAnnotatedTripsCsv(const std::filesystem::path& source, const std::filesystem::path& target,
                            const std::vector<TripOutcome>& outcomes) {
    std::ifstream in = openInputFile(source);
    CsvReader table(in, source.string());
    const std::vector<std::string>& added = kTripOutcomeColumns;
    std::vector<size_t> kept;
    for (size_t c = 0; c < table.header().size(); ++c)
        if (std::find(added.begin(), added.end(), table.header()[c]) == added.end()) kept.push_back(c);
    AtomicFileWriter file(target);
    std::ostream& out = file.out();
    for (size_t c : kept) out << csvField(table.header()[c]) << ',';
    for (size_t i = 0; i < added.size(); ++i) out << (i ? "," : "") << added[i];
    out << '\n';
    const std::string mismatch = source.string() + ": its rows do not match the analysed trips";
    size_t row = 0;
    for (; table.next(); ++row) {
        if (row == outcomes.size()) throw std::logic_error(mismatch);
        const TripOutcome& o = outcomes[row];
        for (size_t c : kept) out << csvField(table.row()[c]) << ',';
        out << tripOutcomeCells(o) << '\n';
    }
    if (row != outcomes.size()) throw std::logic_error(mismatch);
    file.commit();
}

}  // namespace

AnalysisOutput analyzeData(const AnalysisData& data, const AnalysisConfig& config) {
    const double auditTime = config.auditTime.value_or(data.endTime());
    PathInference paths(data, config);

    // Every (view, retention) pair, and the distinct read sets among them: views that hold
    // exactly the same reads (a retention longer than the run, an agency owning every camera)
    // are computed once.
    struct Entry {
        std::string view;
        double retention;
        size_t task;
    };
    std::vector<Entry> entries;
    std::vector<AdversaryView> tasks;
    std::map<uint64_t, size_t> taskOf;
    auto taskFor = [&](const AdversaryView& view) {
        const auto [it, added] = taskOf.try_emplace(fingerprint(view.visibleReads(data)), tasks.size());
        if (added) tasks.push_back(view);
        return it->second;
    };
    const std::vector<uint32_t> allAgencyStores = unionOfAgencyStores(data);
    std::vector<std::string> viewNames;
    std::map<std::string, nlohmann::json> byView;
    for (double retention : config.retentions)
        for (const ViewSpec& spec : adversaryViews(data, allAgencyStores, retention, auditTime)) {
            const AdversaryView& view = spec.view;
            if (!byView.count(view.name)) {
                viewNames.push_back(view.name);
                byView[view.name] = {{"view", view.name},
                                     {"agencies", spec.agencies},
                                     {"source", spec.source},
                                     {"by_retention", nlohmann::json::array()}};
            }
            entries.push_back({view.name, retention, taskFor(view)});
        }
    // Each trip's level and the map's examples: the most the reads give away (every read any
    // store kept, or every read made without a store network; kept forever).
    const std::string widestName = data.stores ? "all-agencies" : "pooled";
    AdversaryView widest{widestName, {}, RetentionPolicy::kForever, auditTime};
    if (data.stores) widest.held = &allAgencyStores;
    const size_t widestTask = taskFor(widest);

    // The distinct views side by side (each deterministic on its own; results kept by index).
    // Isolation keeps a thread waiting inside one view from starting another, so at most one
    // view per thread holds its working memory at a time.
    std::vector<ViewResult> results(tasks.size());
    tbb::parallel_for(size_t(0), tasks.size(), [&](size_t i) {
        tbb::this_task_arena::isolate([&] {
            results[i] = analyzeView(data, tasks[i].visibleReads(data), paths, config);
            if (i != widestTask) results[i].trips = TripReconstruction{};  // only the widest's outcomes are used later
        });
    });
    for (const Entry& e : entries) {
        nlohmann::json entry = results[e.task].json;
        entry["retention"] = formatDuration(e.retention);
        byView[e.view]["by_retention"].push_back(std::move(entry));
    }
    const ViewResult& widestResult = results[widestTask];
    const std::vector<uint32_t> allVisible = widest.visibleReads(data);

    AnalysisOutput out;
    nlohmann::json views = nlohmann::json::array();
    for (const std::string& name : viewNames) views.push_back(std::move(byView[name]));
    out.reconstructibility = {
        {"definitions", config.toJson()},         {"audit_time_s", auditTime},
        {"simulated_days", data.simulatedDays()}, {"population_known", data.populationKnown},
        {"reads_total", data.reads.size()},       {"pooled_source", data.stores ? "state_store" : "union_of_reads"},
        {"trip_levels_view", widestName},         {"views", views}};
    if (data.stores)
        out.reconstructibility["store_network"] = {{"sharing_mode", data.stores->sharingMode},
                                                   {"contributors", data.stores->contributors}};
    out.exampleTrips = exampleTrips(data, allVisible, widestResult.trips, paths, config);
    out.tripOutcomes = std::move(results[widestTask].trips.outcomes);
    return out;
}

AnalysisOutput analyzeRun(const std::filesystem::path& runDir, const AnalysisData& data, const AnalysisConfig& config) {
    AnalysisOutput out = analyzeData(data, config);
    out.tripsCsv = RunFolder(runDir).trips();
    return out;
}

AnalysisOutput analyzeRunDirectory(const std::filesystem::path& runDir, const AnalysisConfig& config) {
    return analyzeRun(runDir, loadRunDirectory(runDir), config);
}

void writeAnalysisFiles(const std::filesystem::path& dir, const AnalysisOutput& output) {
    if (!output.tripsCsv.empty()) writeAnnotatedTripsCsv(output.tripsCsv, RunFolder(dir).trips(), output.tripOutcomes);
    writeFileAtomically(RunFolder(dir).exampleTrips(), output.exampleTrips.dump(1) + "\n");
}

std::vector<double> parseRetentionList(const std::string& list, const std::string& source) {
    std::vector<double> out;
    size_t start = 0;
    while (start <= list.size()) {
        const size_t comma = std::min(list.find(',', start), list.size());
        const std::string item = list.substr(start, comma - start);
        const auto seconds = parseDuration(item);
        if (!seconds || *seconds <= 0)
            throw InputError(source, "retention \"" + item + "\"", "a positive duration such as 3m, 48h, 21d, 1y, or forever");
        out.push_back(*seconds);
        start = comma + 1;
    }
    return out;
}

std::string plainReconstructibilitySummary(const nlohmann::json& r) {
    for (const auto& view : r.at("views")) {
        if (view.at("view") != "pooled") continue;
        const auto& widest = view.at("by_retention").back();
        const auto& t = widest.at("trips");
        const bool stateStore = view.at("source").at("kind") == "state_store";
        return fmt::format(
            "{}, reads kept {}: of {} trips, {:.1f}% observed, {:.1f}% linked, {:.1f}% with both "
            "endpoints exposed, {:.1f}% with the route reconstructed (over {} simulated day(s)).\n",
            stateStore ? "Pooled view (the state store)" : "Pooled view (every agency's reads together; no store network)",
            widest.at("retention").get<std::string>(), t.at("departed").get<size_t>(), 100 * t.at("share_observed").get<double>(),
            100 * t.at("share_linked").get<double>(), 100 * t.at("share_endpoints_exposed").get<double>(),
            100 * t.at("share_route_reconstructed").get<double>(), r.at("simulated_days").get<int>());
    }
    return "";
}

}  // namespace alprsim
