#include "scenarios/scenario_extends.h"

#include "core/files.h"
#include "core/json_reader.h"

namespace alprsim {

namespace {

nlohmann::json readJsonObject(const fs::path& file) {
    nlohmann::json doc = parseUserJson(readTextFile(file, kScenarioInput), file.string());
    if (!doc.is_object()) throw InputError(file.string(), "/", "an object, got " + describeJsonType(doc));
    return doc;
}

std::string chainText(const std::vector<fs::path>& chain) {
    std::string text;
    for (const fs::path& f : chain) text += (text.empty() ? "" : " -> ") + f.string();
    return text;
}

// `stack` holds the canonical paths of the files being resolved, outermost first.
nlohmann::json resolveInto(const fs::path& file, std::vector<fs::path>& stack, std::vector<fs::path>& chain) {
    nlohmann::json doc = readJsonObject(file);
    chain.push_back(file);
    if (!doc.contains("extends")) return doc;

    const nlohmann::json& ref = doc["extends"];
    if (!ref.is_string() || ref.get<std::string>().empty())
        throw InputError(file.string(), "/extends", "the path of a base scenario file (a string), got " + describeJsonType(ref));
    const fs::path base = (file.parent_path() / ref.get<std::string>()).lexically_normal();
    std::error_code ec;
    if (!fs::is_regular_file(base, ec))
        throw InputError(file.string(), "/extends",
                         "an existing scenario file (relative to this file); " + base.string() + " was not found");
    const fs::path canonicalBase = fs::weakly_canonical(base);
    for (const fs::path& seen : stack) {
        if (seen != canonicalBase) continue;
        std::vector<fs::path> cycle = chain;
        cycle.push_back(base);
        throw InputError(file.string(), "/extends", "a chain of bases without a cycle; got " + chainText(cycle));
    }
    stack.push_back(canonicalBase);
    nlohmann::json merged = resolveInto(base, stack, chain);
    stack.pop_back();

    doc.erase("extends");
    merged.merge_patch(doc);  // RFC 7386
    return merged;
}

}  // namespace

ExtendedScenario resolveExtends(const fs::path& file) {
    ExtendedScenario result;
    std::vector<fs::path> stack{fs::weakly_canonical(file)};
    result.document = resolveInto(file, stack, result.chain);
    return result;
}

InputError inExtendedScenario(const InputError& error, const ExtendedScenario& scenario) {
    if (scenario.chain.size() < 2) return error;
    return InputError(error.file(), error.where(),
                      error.expected() + " (in the scenario as merged from " + chainText(scenario.chain) + ")");
}

}  // namespace alprsim
