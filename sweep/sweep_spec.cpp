#include "sweep/sweep_spec.h"

#include "core/error.h"
#include "core/files.h"
#include "core/json_reader.h"

namespace alprsim {

namespace {

bool isJsonPointer(const std::string& text) {
    if (text.empty() || text[0] != '/') return false;
    try {
        nlohmann::json::json_pointer p(text);
        return true;
    } catch (const nlohmann::json::exception&) {
        return false;
    }
}

std::vector<SweepAxis> readAxes(JsonObjectReader& root, const std::string& key) {
    std::vector<SweepAxis> axes;
    if (!root.has(key)) return axes;
    const nlohmann::json& list = root.requiredArray(key, 64);
    for (size_t i = 0; i < list.size(); ++i) {
        JsonObjectReader axis(list[i], root.file(), root.pathOf(key) + "/" + std::to_string(i));
        SweepAxis a;
        a.pointer = axis.requiredString("path");
        if (!isJsonPointer(a.pointer))
            throw InputError(axis.file(), axis.pathOf("path"),
                             "a JSON pointer into the scenario such as \"/cameras/count\", got \"" + a.pointer + "\"");
        if (a.pointer == "/extends" || a.pointer.rfind("/extends/", 0) == 0)
            throw InputError(axis.file(), axis.pathOf("path"),
                             "a scenario field (\"extends\" is resolved before parameters are applied)");
        const nlohmann::json& values = axis.requiredArray("values", SweepLimits::kMaxRuns);
        if (values.empty()) throw InputError(axis.file(), axis.pathOf("values"), "at least one value");
        a.values.assign(values.begin(), values.end());
        axis.finish();
        axes.push_back(std::move(a));
    }
    return axes;
}

void checkDistinctPaths(const SweepSpec& spec, const std::string& file) {
    std::vector<std::pair<std::string, std::string>> seen;  // pointer, where
    auto visit = [&](const std::vector<SweepAxis>& axes, const std::string& key) {
        for (size_t i = 0; i < axes.size(); ++i) {
            const std::string where = "/" + key + "/" + std::to_string(i) + "/path";
            for (const auto& [pointer, other] : seen) {
                const std::string& a = axes[i].pointer;
                const bool nested = a == pointer || a.rfind(pointer + "/", 0) == 0 || pointer.rfind(a + "/", 0) == 0;
                if (nested) throw InputError(file, where, "a path no other parameter sets (it overlaps " + other + ")");
            }
            seen.emplace_back(axes[i].pointer, where);
            if (axes[i].pointer == "/seed" && !spec.seeds.empty())
                throw InputError(file, where, "not /seed when \"seeds\" is given (seeds are the replications)");
        }
    };
    visit(spec.grid, "grid");
    visit(spec.zip, "zip");
}

}  // namespace

SweepSpec loadSweepSpec(const fs::path& file) {
    SweepSpec spec;
    spec.file = file;
    const nlohmann::json doc = parseUserJson(readTextFile(file, kSweepInput), file.string());
    JsonObjectReader root(doc, file.string(), "");
    spec.name = root.requiredString("name");
    spec.description = root.optionalString("description").value_or("");
    const std::string base = root.requiredString("base");
    const std::vector<fs::path> searchPath = scenarioSearchPath(file.parent_path());
    spec.baseScenario = findDataFile(base, searchPath);
    if (spec.baseScenario.empty()) {
        std::string tried;
        for (const fs::path& dir : searchPath) tried += "\n  " + (dir / base).lexically_normal().string();
        throw InputError(file.string(), "/base", "an existing scenario file; \"" + base + "\" was not found at:" + tried);
    }
    spec.baseScenario = fs::absolute(spec.baseScenario);
    spec.grid = readAxes(root, "grid");
    spec.zip = readAxes(root, "zip");
    if (root.has("seeds")) {
        const nlohmann::json& seeds = root.requiredArray("seeds", SweepLimits::kMaxSeeds);
        if (seeds.empty())
            throw InputError(file.string(), "/seeds", "at least one seed (or leave \"seeds\" out to use the base's)");
        for (size_t i = 0; i < seeds.size(); ++i) {
            if (!seeds[i].is_number_unsigned() || seeds[i].get<uint64_t>() > UINT32_MAX)
                throw InputError(file.string(), "/seeds/" + std::to_string(i),
                                 "a whole number from 0 to 4294967295, got " + seeds[i].dump());
            const uint64_t seed = seeds[i].get<uint64_t>();
            for (uint64_t earlier : spec.seeds)
                if (earlier == seed)
                    throw InputError(file.string(), "/seeds/" + std::to_string(i),
                                     "distinct seeds; " + std::to_string(seed) + " is repeated");
            spec.seeds.push_back(seed);
        }
    }
    root.finish();

    for (size_t i = 1; i < spec.zip.size(); ++i)
        if (spec.zip[i].values.size() != spec.zip[0].values.size())
            throw InputError(file.string(), "/zip/" + std::to_string(i) + "/values",
                             "as many values as /zip/0/values (" + std::to_string(spec.zip[0].values.size()) + "), got " +
                                 std::to_string(spec.zip[i].values.size()));
    checkDistinctPaths(spec, file.string());

    double runs = spec.seeds.empty() ? 1 : static_cast<double>(spec.seeds.size());
    for (const SweepAxis& a : spec.grid) runs *= static_cast<double>(a.values.size());
    if (!spec.zip.empty()) runs *= static_cast<double>(spec.zip[0].values.size());
    if (runs > SweepLimits::kMaxRuns)
        throw InputError(
            file.string(), "",
            "at most " + std::to_string(SweepLimits::kMaxRuns) + " runs, got " + std::to_string(static_cast<uint64_t>(runs)));
    return spec;
}

}  // namespace alprsim
