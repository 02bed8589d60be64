#include "store/back_office.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include "core/error.h"

namespace alprsim {

namespace {
// ?1..?2 the key range and ?3..?4 the time range searched (the query's, cut to what retention
// keeps and what exists at the search's time), ?5 the oldest non-hit still kept.
const std::string kSelectColumns = "SELECT plate, time, camera, lat, lon, confidence, hit FROM ";
constexpr const char* kVisible = " WHERE id BETWEEN ?1 AND ?2 AND time BETWEEN ?3 AND ?4 AND (hit = 1 OR time >= ?5) AND ";
constexpr double kDay = 86400.0;
constexpr double kNightCheck = 3 * 3600.0;       // a stop spanning 03:00 is a night's stay
constexpr double kOvernightMinGap = 4 * 3600.0;  // shorter stops are not nights, even across 03:00

bool byTime(const FoundRead& a, const FoundRead& b) {
    return std::tie(a.read.time, a.read.camera, a.read.plate) < std::tie(b.read.time, b.read.camera, b.read.plate);
}

// A plate has at most 8 characters; a pattern with a set for each and some '*' fits easily.
// Longer ones are refused before SQLite sees them (its GLOB refuses 50,000 bytes and more with
// an error that would read as an internal failure).
constexpr size_t kMaxPatternLength = 64;

// Upper-cases and checks a GLOB pattern: plate characters, '?', '*' and bracketed sets.
std::string globPattern(const std::string& pattern) {
    if (pattern.size() > kMaxPatternLength)
        throw InputError("plate search", pattern.substr(0, 16) + "... (" + std::to_string(pattern.size()) + " characters)",
                         "a plate pattern of at most " + std::to_string(kMaxPatternLength) + " characters");
    std::string glob;
    bool inSet = false;
    for (unsigned char c : pattern) {
        const char upper = static_cast<char>(std::toupper(c));
        const bool plateChar = std::isalnum(c) != 0;
        const bool ok = plateChar || (!inSet && (c == '?' || c == '*' || c == '[')) || (inSet && c == ']');
        if (!ok || (c == ']' && glob.back() == '['))
            throw InputError("plate search", pattern, "a plate pattern of letters, digits, '?', '*' and sets such as [8B]");
        if (c == '[') inSet = true;
        if (c == ']') inSet = false;
        glob += upper;
    }
    if (inSet || glob.empty())
        throw InputError("plate search", pattern, "a plate pattern of letters, digits, '?', '*' and sets such as [8B]");
    return glob;
}

nlohmann::json plateQuery(const std::string& plate, double t0, double t1) { return {{"from", t0}, {"to", t1}, {"plate", plate}}; }
}  // namespace

BackOffice::BackOffice(StoreNetwork& network, std::string agency) : agency_(std::move(agency)) {
    sources_.push_back({&network.agencyStore(agency_), agency_});
    if (network.sharing().canSearchState(agency_)) sources_.push_back({&network.stateStore(), StoreNetwork::kStateOwner});
}

std::vector<std::string> BackOffice::searchableStores() const {
    std::vector<std::string> names;
    for (const Source& s : sources_) names.push_back(s.name);
    return names;
}

template <typename Bind>
BackOffice::Hits BackOffice::select(double now, double t0, double t1, const std::string& condition,
                                    const std::string& orderAndLimit, const Bind& bind, bool byPlateIndex) const {
    Hits hits;
    // The same read reaches an agency's store and the state store; keep the first copy.
    std::set<std::tuple<std::string, double, std::string>> seen;
    for (const Source& source : sources_) {
        const RetentionPolicy& retention = source.store->retention();
        const double earliest = std::max(t0, retention.oldestKept(now, true));
        const double latest = std::min(t1, now);
        int64_t rows = 0;
        for (const ReadStore::Partition& p : source.store->partitionsOverlapping(earliest, latest)) {
            const std::string from = byPlateIndex ? p.reads + " INDEXED BY " + p.plateIndex : p.reads;
            sql::Statement& s =
                source.store->cachedStatement(kSelectColumns + from + kVisible + "(" + condition + ") " + orderAndLimit);
            s.bind(1, ReadStore::firstKeyAt(earliest)).bind(2, ReadStore::lastKeyAt(latest));
            s.bind(3, earliest).bind(4, latest).bind(5, retention.oldestKept(now, false));
            bind(s);
            while (s.step()) {
                ++rows;
                FoundRead found{Read{s.text(0), s.real(1), s.text(2), LatLon{s.real(3), s.real(4)}, s.real(5)}, s.integer(6) != 0,
                                source.name};
                if (seen.emplace(found.read.camera, found.read.time, found.read.plate).second)
                    hits.reads.push_back(std::move(found));
            }
        }
        hits.rowsPerSource.push_back(rows);
    }
    return hits;
}

BackOffice::Hits BackOffice::plateReads(double now, const std::string& plate, double t0, double t1) const {
    Hits hits = select(now, t0, t1, "plate = ?6", "ORDER BY time, id", [&](sql::Statement& s) { s.bind(6, plate); });
    std::sort(hits.reads.begin(), hits.reads.end(), byTime);
    return hits;
}

void BackOffice::audit(double now, const std::string& kind, const std::string& params, const std::vector<int64_t>& rows) {
    for (size_t i = 0; i < sources_.size(); ++i) sources_[i].store->recordAudit({agency_, kind, params, now, rows[i]});
}

namespace {
void addRows(std::vector<int64_t>& total, const std::vector<int64_t>& more) {
    if (total.empty()) total.assign(more.size(), 0);
    for (size_t i = 0; i < more.size(); ++i) total[i] += more[i];
}
}  // namespace

std::vector<FoundRead> BackOffice::history(double now, const std::string& plate, double t0, double t1,
                                           std::optional<Circle> area) {
    Hits hits = plateReads(now, plate, t0, t1);
    std::vector<FoundRead> out;
    std::vector<int64_t> rows(sources_.size(), 0);
    for (FoundRead& f : hits.reads) {
        if (area && haversineMetres(area->centre, f.read.where) > area->radiusMetres) continue;
        for (size_t i = 0; i < sources_.size(); ++i)
            if (sources_[i].name == f.store) ++rows[i];
        out.push_back(std::move(f));
    }
    nlohmann::json params = plateQuery(plate, t0, t1);
    if (area) params["area"] = {{"lat", area->centre.lat}, {"lon", area->centre.lon}, {"radius_m", area->radiusMetres}};
    audit(now, "history", params.dump(), area ? rows : hits.rowsPerSource);
    return out;
}

WhereWas BackOffice::whereWas(double now, const std::string& plate, double t1, double t2) {
    WhereWas answer;
    std::vector<int64_t> rows;
    constexpr double kNever = std::numeric_limits<double>::infinity();
    const auto plateIs = [&](sql::Statement& s) { s.bind(6, plate); };
    Hits before = select(now, -kNever, std::nextafter(t1, -kNever), "plate = ?6", "ORDER BY time DESC, id DESC LIMIT 1", plateIs);
    Hits during = select(now, t1, t2, "plate = ?6", "ORDER BY time, id", plateIs);
    Hits after = select(now, std::nextafter(t2, kNever), kNever, "plate = ?6", "ORDER BY time, id LIMIT 1", plateIs);
    if (!before.reads.empty()) answer.lastBefore = *std::max_element(before.reads.begin(), before.reads.end(), byTime);
    if (!after.reads.empty()) answer.firstAfter = *std::min_element(after.reads.begin(), after.reads.end(), byTime);
    answer.during = std::move(during.reads);
    std::sort(answer.during.begin(), answer.during.end(), byTime);
    for (const Hits* h : {&before, &during, &after}) addRows(rows, h->rowsPerSource);
    audit(now, "where_was", plateQuery(plate, t1, t2).dump(), rows);
    return answer;
}

std::vector<FoundRead> BackOffice::plateSearch(double now, const std::string& pattern, double t0, double t1) {
    const std::string glob = globPattern(pattern);
    // A literal prefix ("4AB" in "4AB?12") narrows the plate index to a range; without one
    // the search scans the time range.
    const std::string prefix = glob.substr(0, glob.find_first_of("?*["));
    Hits hits = prefix.empty() ? select(now, t0, t1, "plate GLOB ?6", "", [&](sql::Statement& s) { s.bind(6, glob); })
                               : select(
                                     now, t0, t1, "plate >= ?7 AND plate < ?8 AND plate GLOB ?6", "",
                                     [&](sql::Statement& s) {
                                         std::string past = prefix;
                                         ++past.back();  // the first string after every one starting with prefix
                                         s.bind(6, glob).bind(7, prefix).bind(8, past);
                                     },
                                     true);
    std::sort(hits.reads.begin(), hits.reads.end(), [](const FoundRead& a, const FoundRead& b) {
        return std::tie(a.read.plate, a.read.time, a.read.camera) < std::tie(b.read.plate, b.read.time, b.read.camera);
    });
    audit(now, "plate_search", nlohmann::json{{"from", t0}, {"to", t1}, {"pattern", glob}}.dump(), hits.rowsPerSource);
    return std::move(hits.reads);
}

std::vector<CoTraveller> BackOffice::coTravel(double now, const std::string& plate, double t0, double t1, double windowSeconds,
                                              int minCameras) {
    std::vector<int64_t> rows;
    Hits target = plateReads(now, plate, t0, t1);
    addRows(rows, target.rowsPerSource);
    std::map<std::string, std::set<std::string>> camerasByPlate;
    std::map<std::string, int> readsByPlate;
    std::set<std::tuple<std::string, double, std::string>> counted;  // a read near two target reads counts once
    for (const FoundRead& t : target.reads) {
        // Scans the window's key range (the table is in time order) rather than indexing cameras.
        Hits near = select(now, t.read.time - windowSeconds, t.read.time + windowSeconds, "camera = ?6 AND plate <> ?7",
                           "ORDER BY time, id", [&](sql::Statement& s) { s.bind(6, t.read.camera).bind(7, plate); });
        addRows(rows, near.rowsPerSource);
        for (const FoundRead& n : near.reads) {
            if (!counted.emplace(n.read.camera, n.read.time, n.read.plate).second) continue;
            camerasByPlate[n.read.plate].insert(n.read.camera);
            ++readsByPlate[n.read.plate];
        }
    }
    std::vector<CoTraveller> out;
    for (const auto& [other, cameras] : camerasByPlate)
        if (static_cast<int>(cameras.size()) >= minCameras)
            out.push_back({other, static_cast<int>(cameras.size()), readsByPlate[other]});
    std::sort(out.begin(), out.end(), [](const CoTraveller& a, const CoTraveller& b) {
        return std::tie(b.cameras, b.reads, a.plate) < std::tie(a.cameras, a.reads, b.plate);
    });
    nlohmann::json params = plateQuery(plate, t0, t1);
    params["window_s"] = windowSeconds;
    params["min_cameras"] = minCameras;
    audit(now, "co_travel", params.dump(), rows);
    return out;
}

namespace {
std::vector<Dwell> stopsBetween(const std::vector<FoundRead>& reads, double minGapSeconds) {
    std::vector<Dwell> out;
    for (size_t i = 1; i < reads.size(); ++i) {
        const Read& a = reads[i - 1].read;
        const Read& b = reads[i].read;
        if (b.time - a.time >= minGapSeconds) out.push_back({a.camera, a.where, a.time, b.time});
    }
    return out;
}
}  // namespace

std::vector<Dwell> BackOffice::dwells(double now, const std::string& plate, double t0, double t1, double minGapSeconds) {
    Hits hits = plateReads(now, plate, t0, t1);
    nlohmann::json params = plateQuery(plate, t0, t1);
    params["min_gap_s"] = minGapSeconds;
    audit(now, "dwell", params.dump(), hits.rowsPerSource);
    return stopsBetween(hits.reads, minGapSeconds);
}

std::vector<OvernightPlace> BackOffice::overnight(double now, const std::string& plate, double t0, double t1) {
    Hits hits = plateReads(now, plate, t0, t1);
    std::map<std::string, OvernightPlace> byCamera;
    for (const Dwell& stop : stopsBetween(hits.reads, kOvernightMinGap)) {
        // The 03:00 instants inside [from, to].
        const double first = std::ceil((stop.from - kNightCheck) / kDay);
        const double last = std::floor((stop.to - kNightCheck) / kDay);
        if (last < first) continue;
        OvernightPlace& place = byCamera.try_emplace(stop.camera, OvernightPlace{stop.camera, stop.where, 0}).first->second;
        place.nights += static_cast<int>(last - first + 1);
    }
    std::vector<OvernightPlace> out;
    for (auto& [camera, place] : byCamera) out.push_back(place);
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.nights > b.nights; });
    audit(now, "overnight", plateQuery(plate, t0, t1).dump(), hits.rowsPerSource);
    return out;
}

}  // namespace alprsim
