#include "sim/net_file.h"

#include <zlib.h>

#include <cstring>
#include <set>
#include <string_view>

#include "core/error.h"
#include "core/files.h"
#include "core/progress.h"
#include "sim/road_network.h"

namespace alprsim {

namespace {

// The value of attribute `name` in one XML start tag, or "".
std::string attribute(std::string_view tag, std::string_view name) {
    const std::string key = " " + std::string(name) + "=\"";
    const size_t at = tag.find(key);
    if (at == std::string_view::npos) return {};
    const size_t begin = at + key.size();
    const size_t end = tag.find('"', begin);
    return end == std::string_view::npos ? std::string() : std::string(tag.substr(begin, end - begin));
}

std::string roadClassOf(const std::string& type) {
    const std::string prefix = "highway.";
    return type.rfind(prefix, 0) == 0 ? type.substr(prefix.size()) : type;
}

void readTag(std::string_view line, NetFileAttributes& out) {
    const size_t start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos) return;
    line = line.substr(start);
    if (line.rfind("<edge ", 0) == 0) {
        if (!attribute(line, "function").empty()) return;  // internal, crossing, walkingarea
        NetEdgeAttributes e;
        e.fromJunction = attribute(line, "from");
        e.toJunction = attribute(line, "to");
        e.roadClass = roadClassOf(attribute(line, "type"));
        const std::string priority = attribute(line, "priority");
        e.priority = priority.empty() ? 0 : std::stoi(priority);
        out.edges.emplace(attribute(line, "id"), std::move(e));
    } else if (line.rfind("<junction ", 0) == 0) {
        NetJunction j;
        j.type = attribute(line, "type");
        if (j.type == "internal") return;
        j.x = std::stod(attribute(line, "x"));
        j.y = std::stod(attribute(line, "y"));
        out.junctions.emplace(attribute(line, "id"), std::move(j));
    }
}

}  // namespace

NetFileAttributes readNetFileAttributes(const std::filesystem::path& netFile) {
    gzFile file = gzopen(netFile.c_str(), "rb");  // reads plain files too
    if (!file) throw InputError(netFile.string(), "", "a readable SUMO network file");
    NetFileAttributes out;
    std::string line;
    char buf[1 << 16];
    uint64_t total = 0;
    bool nul = false;
    try {
        while (gzgets(file, buf, sizeof buf)) {
            // gzgets stops at a line break, not at a NUL: the bytes it moved on by, against
            // strlen, show a NUL (which would otherwise make /dev/zero an endless empty line).
            const auto read = static_cast<uint64_t>(gztell(file)) - total;
            total += read;
            nul = read != std::strlen(buf);
            line += buf;
            if (nul || total > kNetFileInput.maxBytes || line.size() > kNetFileLineBytes || interruptRequested()) break;
            if (line.empty() || line.back() != '\n') continue;  // a line longer than the buffer
            readTag(line, out);
            line.clear();
        }
    } catch (const std::exception& e) {
        gzclose(file);
        throw InputError(netFile.string(), "", std::string("a well-formed SUMO network (") + e.what() + ")");
    }
    gzclose(file);
    if (interruptRequested()) throw Interrupted();
    if (nul) throw InputError(netFile.string(), "", std::string(kNetFileInput.what) + " (XML text; this one holds a NUL byte before byte " + std::to_string(total) + ")");
    if (total > kNetFileInput.maxBytes || line.size() > kNetFileLineBytes)
        throw InputError(netFile.string(), "", std::string(kNetFileInput.what) + " of at most " +
                                                   std::to_string(kNetFileInput.maxBytes / kMiB) + " MiB uncompressed, in lines of at most " +
                                                   std::to_string(kNetFileLineBytes / kMiB) + " MiB; this one is larger (reading stopped there)");
    if (out.edges.empty()) throw InputError(netFile.string(), "", "a SUMO network with at least one edge");
    return out;
}

void applyNetFileAttributes(RoadNetwork& network, const NetFileAttributes& attributes) {
    // A dead end is a junction whose roads all lead to one neighbour: where a street stops, or
    // where the extract cut it. (netconvert's own "dead_end" type misses the cut two-way
    // roads, which get a turnaround connection and become "priority" junctions.)
    std::unordered_map<std::string, std::set<std::string>> neighbours;
    for (const auto& [id, e] : attributes.edges) {
        neighbours[e.fromJunction].insert(e.toJunction);
        neighbours[e.toJunction].insert(e.fromJunction);
    }
    auto deadEnd = [&](const std::string& junction) {
        const auto it = neighbours.find(junction);
        return it != neighbours.end() && it->second.size() == 1;
    };
    for (RoadEdge& e : network.mutableEdges()) {
        const auto it = attributes.edges.find(e.id);
        if (it == attributes.edges.end()) continue;
        e.roadClass = it->second.roadClass;
        e.fromJunction = it->second.fromJunction;
        e.toJunction = it->second.toJunction;
        e.startsAtDeadEnd = deadEnd(e.fromJunction);
        e.endsAtDeadEnd = deadEnd(e.toJunction);
    }
}

}  // namespace alprsim
