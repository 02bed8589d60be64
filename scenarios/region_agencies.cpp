#include "scenarios/region_agencies.h"

#include <algorithm>

#include "core/error.h"
#include "run_folder/run_results.h"
#include "sensors/camera_config.h"

namespace alprsim {

namespace {

constexpr uint64_t kMaxPerAgency = 10'000;

// The agency's program as the file records it (every row naming it), or "" if none does.
std::string programOnRecord(const std::vector<AgencyProgram>& record, const std::string& agency) {
    std::string joined;
    for (const AgencyProgram& p : record) {
        if (p.town != agency) continue;
        if (p.optedOut) return "opted-out";
        joined += (joined.empty() ? "" : "+") + p.program;
    }
    return joined;
}

// What an agency does with its reads unless the scenario says: a state grant required pooling
// into the state store under CJIS rules; everyone else keeps its reads.
RegionAgency::Sharing defaultSharing(const std::string& program) {
    return program.rfind("state-grant", 0) == 0 ? RegionAgency::Sharing::Pooled : RegionAgency::Sharing::Local;
}

void readSharing(const nlohmann::json& value, JsonObjectReader& entry, RegionAgency& a) {
    const std::string at = entry.pathOf("sharing");
    if (value.is_string()) {
        const std::string mode = entry.requiredChoice("sharing", {"local", "pooled"});
        a.sharing = mode == "pooled" ? RegionAgency::Sharing::Pooled : RegionAgency::Sharing::Local;
        return;
    }
    JsonObjectReader obj = entry.requiredObject("sharing");
    const nlohmann::json& list = obj.requiredArray("agreement", 100);
    for (size_t i = 0; i < list.size(); ++i) {
        if (!list[i].is_string() || list[i].get<std::string>().empty() || list[i].get<std::string>() == a.name)
            throw InputError(entry.file(), at + "/agreement/" + std::to_string(i), "the name of another agency of this section");
        a.partners.push_back(list[i].get<std::string>());
    }
    if (a.partners.empty()) throw InputError(entry.file(), at + "/agreement", "at least one neighbour");
    std::sort(a.partners.begin(), a.partners.end());
    a.partners.erase(std::unique(a.partners.begin(), a.partners.end()), a.partners.end());
    a.sharing = RegionAgency::Sharing::Agreement;
    obj.finish();
}

// `recordName` is the agency file as the scenario names it, `recordFile` where it was found.
RegionAgency readAgency(const std::string& name, JsonObjectReader entry, const std::vector<AgencyProgram>& record,
                        const std::string& recordName, const std::string& recordFile) {
    RegionAgency a;
    a.name = name;
    a.jsonPath = entry.path();
    a.program = programOnRecord(record, name);
    a.programSource = recordName;
    if (entry.has("program")) {
        entry.requiredChoice("program", {"none"});
        if (!a.program.empty())
            throw InputError(entry.file(), entry.pathOf("program"),
                             "no program: " + recordName + " records " + name + "'s (" + a.program + ")");
        a.program = "none";
        a.programSource = "scenario";
    }
    if (a.program.empty())
        throw InputError(recordFile, "agency \"" + name + "\" (named at " + entry.file() + " " + entry.path() + ")",
                         "an agency of the file; if it has no program on record, say \"program\": \"none\"");
    a.fixed = entry.optionalCount("fixed", 0, kMaxPerAgency).value_or(0);
    a.patrol = entry.optionalCount("patrol", 0, kMaxPerAgency).value_or(0);
    a.sharing = defaultSharing(a.program);
    if (entry.has("sharing")) readSharing(entry.value().at("sharing"), entry, a);
    entry.finish();
    return a;
}

}  // namespace

std::string_view toString(RegionAgency::Sharing sharing) {
    switch (sharing) {
        case RegionAgency::Sharing::Pooled:
            return "pooled";
        case RegionAgency::Sharing::Agreement:
            return "agreement";
        case RegionAgency::Sharing::Local:
            break;
    }
    return "local";
}

std::vector<std::string> RegionAgencies::pooled() const {
    std::vector<std::string> out;
    for (const RegionAgency& a : agencies)
        if (a.sharing == RegionAgency::Sharing::Pooled) out.push_back(a.name);
    return out;
}

std::map<std::string, AgencyResults> agencyResults(const RegionAgencies& agencies) {
    std::map<std::string, AgencyResults> out;
    for (const RegionAgency& a : agencies.agencies) {
        AgencyResults& r = out[a.name];
        r.program = a.program;
        r.programSource = a.programSource;
        r.fixed = a.fixed;
        r.patrol = a.patrol;
        r.sharing = toString(a.sharing);
        if (!a.partners.empty()) r.sharesWith = a.partners;
    }
    return out;
}

RegionAgencies readRegionAgencies(JsonObjectReader obj) {
    RegionAgencies out;
    out.file = findAgenciesFile(obj, "file");
    const std::vector<AgencyProgram> record = loadAgencyPrograms(out.file);
    // As written: results.json does not depend on where the data lies.
    const std::string recordName = obj.optionalString("file").value_or("ma/alpr-agencies.csv");
    out.minSpacingMetres = obj.optionalNumber("min_spacing_m", 0, 5000).value_or(0);
    JsonObjectReader byAgency = obj.requiredObject("by_agency");
    for (const auto& [agency, entry] : byAgency.value().items()) {
        if (!entry.is_object()) throw InputError(obj.file(), byAgency.pathOf(agency), "an object (fixed, patrol, sharing)");
        out.agencies.push_back(readAgency(agency, byAgency.requiredObject(agency), record, recordName, out.file));
    }
    if (out.agencies.empty()) throw InputError(obj.file(), obj.pathOf("by_agency"), "at least one agency");
    for (const RegionAgency& a : out.agencies)
        for (size_t i = 0; i < a.partners.size(); ++i)
            if (std::none_of(out.agencies.begin(), out.agencies.end(),
                             [&](const RegionAgency& b) { return b.name == a.partners[i]; }))
                throw InputError(obj.file(), a.jsonPath + "/sharing/agreement",
                                 "agencies of this section; '" + a.partners[i] + "' is not one");
    obj.finish();
    return out;
}

}  // namespace alprsim
