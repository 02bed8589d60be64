#include "sweep/sweep_plan.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "core/files.h"
#include "core/hash.h"
#include "scenarios/scenario_extends.h"

namespace alprsim {

namespace {

// The parameter values of every point: grid axes as a mixed-radix counter (last fastest),
// then the zip index.
std::vector<std::vector<nlohmann::json>> pointValues(const SweepSpec& spec) {
    size_t gridPoints = 1;
    for (const SweepAxis& a : spec.grid) gridPoints *= a.values.size();
    const size_t zipLength = spec.zip.empty() ? 1 : spec.zip[0].values.size();
    std::vector<std::vector<nlohmann::json>> points;
    for (size_t g = 0; g < gridPoints; ++g) {
        std::vector<nlohmann::json> gridValues(spec.grid.size());
        size_t rest = g;
        for (size_t i = spec.grid.size(); i-- > 0;) {
            gridValues[i] = spec.grid[i].values[rest % spec.grid[i].values.size()];
            rest /= spec.grid[i].values.size();
        }
        for (size_t z = 0; z < zipLength; ++z) {
            std::vector<nlohmann::json> values = gridValues;
            for (const SweepAxis& a : spec.zip) values.push_back(a.values[z]);
            points.push_back(std::move(values));
        }
    }
    return points;
}

std::string runId(size_t point, uint64_t seed, const nlohmann::json& scenario) {
    return fmt::format("p{:04}-s{}-{}", point, seed, hex64(fnv1a64(scenario.dump())).substr(0, 8));
}

// nlohmann's operator[] grows an array to whatever index a pointer names, so a parameter at
// "/cameras/sites/999999999" would allocate a billion nulls. A parameter may replace an item of
// an array of the base scenario or append one ("-" or the index just past the end), no more.
void checkArrayIndices(const nlohmann::json& doc, const std::string& pointer) {
    std::vector<std::string> tokens;  // unescaped, from the root
    for (nlohmann::json::json_pointer p(pointer); !p.empty(); p = p.parent_pointer()) tokens.insert(tokens.begin(), p.back());
    const nlohmann::json* node = &doc;
    for (const std::string& token : tokens) {
        if (!node) break;
        if (node->is_object()) {
            node = node->contains(token) ? &node->at(token) : nullptr;
        } else if (node->is_array()) {
            if (token == "-") break;
            const bool digits = !token.empty() && token.size() <= 9 && token.find_first_not_of("0123456789") == std::string::npos;
            if (!digits || std::stoul(token) > node->size())
                throw nlohmann::json::out_of_range::create(401,
                                                           "array index " + token.substr(0, 20) +
                                                               " is past the end of an array of " + std::to_string(node->size()) +
                                                               " items",
                                                           nullptr);
            const size_t index = std::stoul(token);
            node = index < node->size() ? &(*node)[index] : nullptr;
        } else {
            node = nullptr;  // a scalar: nlohmann refuses to index it
        }
    }
}

}  // namespace

SweepPlan planSweep(const SweepSpec& spec) {
    const nlohmann::json base = resolveExtends(spec.baseScenario).document;
    SweepPlan plan;
    for (const SweepAxis& a : spec.grid) plan.parameters.push_back(a.pointer);
    for (const SweepAxis& a : spec.zip) plan.parameters.push_back(a.pointer);

    const auto points = pointValues(spec);
    plan.points = points.size();
    for (size_t p = 0; p < points.size(); ++p) {
        nlohmann::json scenario = base;
        for (size_t i = 0; i < plan.parameters.size(); ++i) {
            try {
                checkArrayIndices(scenario, plan.parameters[i]);
                scenario[nlohmann::json::json_pointer(plan.parameters[i])] = points[p][i];
            } catch (const nlohmann::json::exception& e) {
                const bool inGrid = i < spec.grid.size();
                const size_t index = inGrid ? i : i - spec.grid.size();
                throw InputError(
                    spec.file.string(), std::string(inGrid ? "/grid/" : "/zip/") + std::to_string(index) + "/path",
                    "a path that can be set in the base scenario " + spec.baseScenario.string() + " (" + e.what() + ")");
            }
        }
        const uint64_t baseSeed =
            scenario.contains("seed") && scenario["seed"].is_number_unsigned() ? scenario["seed"].get<uint64_t>() : 0;
        const std::vector<uint64_t> seeds = spec.seeds.empty() ? std::vector<uint64_t>{baseSeed} : spec.seeds;
        for (uint64_t seed : seeds) {
            PlannedRun run;
            run.point = p;
            run.seed = seed;
            run.values = points[p];
            run.scenario = scenario;
            run.scenario["seed"] = seed;
            run.id = runId(p, seed, run.scenario);
            plan.runs.push_back(std::move(run));
        }
    }
    return plan;
}

}  // namespace alprsim
