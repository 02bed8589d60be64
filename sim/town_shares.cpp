#include "sim/town_shares.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include <fmt/format.h>

#include "core/csv.h"
#include "core/error.h"
#include "core/files.h"
#include "sim/road_network.h"
#include "sim/towns.h"

namespace alprsim {

namespace {

struct Xy {
    double x, y;
};

// A local flat projection in metres around `origin`.
struct LocalMetres {
    LatLon origin;
    double kx;
    explicit LocalMetres(LatLon o) : origin(o), kx(111320.0 * std::cos(o.lat * M_PI / 180.0)) {}
    Xy operator()(LatLon p) const { return {(p.lon - origin.lon) * kx, (p.lat - origin.lat) * 110540.0}; }
};

}  // namespace

TownCoverage townCoverage(const Town& town, const RoadNetwork& network) {
    constexpr double kStepMetres = 100.0, kReachMetres = 400.0;
    const LocalMetres project(town.boxMin);
    const Xy far = project(town.boxMax);
    const long columns = static_cast<long>(far.x / kStepMetres) + 1, rows = static_cast<long>(far.y / kStepMetres) + 1;
    std::vector<char> near(static_cast<size_t>(columns * rows), 0);
    const long reach = static_cast<long>(kReachMetres / kStepMetres);
    auto markAround = [&](LatLon p) {
        const Xy c = project(p);
        const long cx = std::lround(c.x / kStepMetres - 0.5), cy = std::lround(c.y / kStepMetres - 0.5);
        for (long y = std::max(0L, cy - reach); y <= std::min(rows - 1, cy + reach); ++y)
            for (long x = std::max(0L, cx - reach); x <= std::min(columns - 1, cx + reach); ++x)
                if (std::hypot((x - cx) * kStepMetres, (y - cy) * kStepMetres) <= kReachMetres) near[size_t(y * columns + x)] = 1;
    };
    for (size_t e = 0; e < network.edges().size(); ++e) {
        if (network.edges()[e].town != town.name) continue;
        for (double along = 0; along <= network.edges()[e].length; along += kStepMetres) markAround(network.pointAlong(e, along));
    }
    size_t inTown = 0, covered = 0;
    for (long y = 0; y < rows; ++y)
        for (long x = 0; x < columns; ++x) {
            const LatLon cell{town.boxMin.lat + (y + 0.5) * kStepMetres / 110540.0,
                              town.boxMin.lon + (x + 0.5) * kStepMetres / project.kx};
            if (!insideRings(town.rings, cell)) continue;
            ++inTown;
            covered += near[size_t(y * columns + x)];
        }
    TownCoverage c;
    c.coveredShare = inTown ? double(covered) / inTown : 0.0;
    c.coveredKm2 = covered * kStepMetres * kStepMetres / 1e6;
    return c;
}

double metresToBoundary(LatLon p, const Town& town) {
    const LocalMetres project(p);
    double best = INFINITY;
    for (const Ring& r : town.rings)
        for (size_t i = 0; i + 1 < r.size(); ++i) {
            const Xy a = project(r[i]), b = project(r[i + 1]);
            const double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
            const double t = len2 > 0 ? std::clamp(-(a.x * dx + a.y * dy) / len2, 0.0, 1.0) : 0.0;
            best = std::min(best, std::hypot(a.x + t * dx, a.y + t * dy));
        }
    return best;
}

std::vector<std::vector<double>> gravityWeights(const std::vector<TownPlaces>& towns, double exponent) {
    std::vector<std::vector<double>> w(towns.size(), std::vector<double>(towns.size(), 0.0));
    for (size_t i = 0; i < towns.size(); ++i) {
        const double floorMetres = std::max(500.0, 0.5 * std::sqrt(towns[i].coveredKm2) * 1000.0);
        const LocalMetres project(towns[i].homeCentroid);
        for (size_t j = 0; j < towns.size(); ++j) {
            const Xy d = project(towns[j].jobCentroid);
            const double metres = std::max(floorMetres, std::hypot(d.x, d.y));
            w[i][j] = towns[j].attraction / std::pow(metres / 1000.0, exponent);
        }
    }
    return w;
}

std::vector<TownFlow> readTownFlows(const std::string& file, const TownMap& towns) {
    std::istringstream in(readTextFile(file));
    CsvReader csv(in, file);
    const size_t home = csv.column("home_town"), work = csv.column("work_town"), workers = csv.column("workers");
    std::vector<TownFlow> out;
    while (csv.next()) {
        const std::string line = "line " + std::to_string(csv.rowNumber());
        TownFlow flow;
        flow.line = csv.rowNumber();
        for (const auto& [column, name] : {std::pair{home, &flow.home}, std::pair{work, &flow.work}}) {
            const Town* town = towns.find(csv.row()[column]);
            if (!town)
                throw InputError(
                    file, line,
                    "Massachusetts town names in " + csv.header()[column] + "; '" + csv.row()[column] + "' is not one");
            *name = town->name;
        }
        const std::optional<double> count = csv.number(workers);
        if (!count || !std::isfinite(*count) || *count < 0)
            throw InputError(file, line, "a number of workers >= 0 in workers; '" + csv.row()[workers] + "' is not one");
        flow.workers = *count;
        out.push_back(std::move(flow));
    }
    return out;
}

std::vector<std::vector<double>> flowWeights(const std::vector<TownFlow>& flows, const std::vector<std::string>& region,
                                             const std::string& file) {
    auto indexOf = [&](const std::string& town) {
        return static_cast<size_t>(std::find(region.begin(), region.end(), town) - region.begin());
    };
    std::vector<std::vector<double>> weights(region.size(), std::vector<double>(region.size(), 0.0));
    for (const TownFlow& f : flows) {
        const size_t i = indexOf(f.home), j = indexOf(f.work);
        if (i < region.size() && j < region.size()) weights[i][j] += f.workers;
    }
    for (size_t i = 0; i < region.size(); ++i)
        if (std::all_of(weights[i].begin(), weights[i].end(), [](double w) { return w <= 0; }))
            throw InputError(file, "home_town " + region[i],
                             "workers from every town of the region to some town of it; " + region[i] + " has none");
    return weights;
}

std::vector<TownFigures> readTownFigures(const std::string& file, const TownMap& towns) {
    std::istringstream in(readTextFile(file));
    CsvReader csv(in, file);
    const size_t townColumn = csv.column("town");
    struct Field {
        const char* column;
        double TownFigures::*value;
        double lo, hi;
    };
    static const Field fields[] = {{"vehicles_per_resident", &TownFigures::vehiclesPerResident, 0, 3},
                                   {"workers_per_resident", &TownFigures::workersPerResident, 0, 1},
                                   {"car_commute_share", &TownFigures::carCommuteShare, 0, 1},
                                   {"workers_per_car", &TownFigures::workersPerCar, 1, 10},
                                   {"work_outside_share", &TownFigures::workOutsideShare, 0, 1}};
    std::vector<size_t> columns;
    for (const Field& f : fields) columns.push_back(csv.column(f.column));
    std::vector<TownFigures> out;
    while (csv.next()) {
        const std::string line = "line " + std::to_string(csv.rowNumber());
        const Town* town = towns.find(csv.row()[townColumn]);
        if (!town) throw InputError(file, line, "Massachusetts town names in town; '" + csv.row()[townColumn] + "' is not one");
        if (std::any_of(out.begin(), out.end(), [&](const TownFigures& f) { return f.town == town->name; }))
            throw InputError(file, line, "each town once; " + town->name + " is listed twice");
        TownFigures figures;
        figures.town = town->name;
        figures.line = csv.rowNumber();
        for (size_t k = 0; k < columns.size(); ++k) {
            const Field& f = fields[k];
            const std::optional<double> v = csv.number(columns[k]);
            if (!v || !std::isfinite(*v) || *v < f.lo || *v > f.hi)
                throw InputError(file, line + ", " + f.column,
                                 "a number from " + fmt::format("{:g}", f.lo) + " to " + fmt::format("{:g}", f.hi) + "; '" +
                                     csv.row()[columns[k]] + "' is not one");
            figures.*f.value = *v;
        }
        if (figures.commuterShare() > 1)
            throw InputError(file, line,
                             "at most as many car commuters as cars; " + town->name + " has " +
                                 fmt::format("{:g}", figures.carCommutersPerResident()) + " car commuters a resident and " +
                                 fmt::format("{:g}", figures.vehiclesPerResident) + " cars");
        out.push_back(std::move(figures));
    }
    return out;
}

std::vector<TownFigures> figuresFor(const std::vector<TownFigures>& figures, const std::vector<std::string>& region,
                                    const std::string& file) {
    std::vector<TownFigures> out;
    for (const std::string& town : region) {
        const auto f = std::find_if(figures.begin(), figures.end(), [&](const TownFigures& g) { return g.town == town; });
        if (f == figures.end())
            throw InputError(file, "town " + town, "a row for every town of the region; " + town + " has none");
        out.push_back(*f);
    }
    return out;
}

}  // namespace alprsim
