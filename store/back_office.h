#pragma once
// BackOffice: the searches back-office software (BOSS) runs over ALPR reads, for one agency.
// Access is enforced here: an agency searches its own store and, when the sharing policy lets
// it, the state store; nothing else. Every search is written to the audit table of each store
// it searched (who, what, when in simulated time, how many rows), and no search returns a read
// its store's retention no longer allows, or a read made after the search's time.
#include <optional>
#include <string>
#include <vector>

#include "core/geo.h"
#include "store/read_store.h"
#include "store/store_network.h"

namespace alprsim {

struct Circle {
    LatLon centre;
    double radiusMetres = 0.0;
};

// A read as a search returns it, with the store that held it (an agency, or "state").
struct FoundRead {
    Read read;
    bool hit = false;
    std::string store;
};

// "Where was this plate between t1 and t2": the reads in the window, bracketed by the last
// read before it and the first after it (where the car was coming from and going to).
struct WhereWas {
    std::optional<FoundRead> lastBefore;
    std::vector<FoundRead> during;
    std::optional<FoundRead> firstAfter;
};

struct CoTraveller {
    std::string plate;
    int cameras = 0;  // distinct cameras shared with the target, within the window
    int reads = 0;
};

// A stop: two consecutive reads of the plate at least a minimum gap apart; the car was
// parked somewhere after passing `camera`.
struct Dwell {
    std::string camera;
    LatLon where;
    double from = 0.0;
    double to = 0.0;
};

struct OvernightPlace {
    std::string camera;
    LatLon where;
    int nights = 0;
};

class BackOffice {
public:
    // Throws std::out_of_range if the network has no store for `agency`. The network must
    // outlive the BackOffice (it searches the network's stores in place).
    BackOffice(StoreNetwork& network, std::string agency);

    // The names of the stores this agency may search (its own first).
    std::vector<std::string> searchableStores() const;

    // Every query takes `now`, the simulated time at which it is made.
    // A plate's reads with t0 <= time <= t1, optionally only those inside `area`, in time order.
    std::vector<FoundRead> history(double now, const std::string& plate, double t0, double t1,
                                   std::optional<Circle> area = std::nullopt);
    WhereWas whereWas(double now, const std::string& plate, double t1, double t2);
    // Plates matching a wildcard pattern: '?' one character, '*' any run, "[8B]" one of a set
    // (SQLite GLOB syntax; letters are upper-cased). Throws InputError on other characters.
    std::vector<FoundRead> plateSearch(double now, const std::string& pattern, double t0, double t1);
    // Plates read at >= minCameras of the same cameras as the target, each within
    // windowSeconds of one of the target's reads in [t0, t1]; most cameras first.
    std::vector<CoTraveller> coTravel(double now, const std::string& plate, double t0, double t1, double windowSeconds,
                                      int minCameras);
    // Stops of at least minGapSeconds between consecutive reads in [t0, t1].
    std::vector<Dwell> dwells(double now, const std::string& plate, double t0, double t1, double minGapSeconds);
    // Where the car spends nights: stops of at least 4 hours that span 03:00 (simulated time 0
    // is taken as midnight), counted per camera; most nights first.
    std::vector<OvernightPlace> overnight(double now, const std::string& plate, double t0, double t1);

private:
    struct Source {
        ReadStore* store;
        std::string name;
    };
    struct Hits {
        std::vector<FoundRead> reads;
        std::vector<int64_t> rowsPerSource;
    };
    // Runs `condition` (SQL over reads, parameters from ?6 on, bound by `bind`) on the reads
    // with t0 <= time <= t1 in every searchable store, limited further to what retention keeps
    // and what exists at `now`; merges and de-duplicates.
    // byPlateIndex forces the plate index where SQLite's planner, without statistics, would
    // scan the time range instead.
    template <typename Bind>
    Hits select(double now, double t0, double t1, const std::string& condition, const std::string& orderAndLimit,
                const Bind& bind, bool byPlateIndex = false) const;
    // One plate's reads with t0 <= time <= t1, in time order.
    Hits plateReads(double now, const std::string& plate, double t0, double t1) const;
    void audit(double now, const std::string& kind, const std::string& params, const std::vector<int64_t>& rows);

    std::string agency_;
    std::vector<Source> sources_;
};

}  // namespace alprsim
