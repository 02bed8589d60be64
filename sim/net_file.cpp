#include "sim/net_file.h"

#include <pugixml.hpp>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "core/error.h"
#include "core/files.h"
#include "core/progress.h"
#include "sim/road_network.h"
#include "sim/simulation.h"
#include "sim/towns.h"

namespace alprsim {

namespace {

// The file's text, decompressed if it is gzip (zlib reads plain files too), at most `limit`
// bytes. Reading stops at the size limit and at a NUL byte (XML text holds none), counted on
// the bytes read, so /dev/zero ends too.
std::string readNetText(const std::filesystem::path& netFile, uint64_t limit) {
    gzFile file = gzopen(netFile.c_str(), "rb");
    if (!file) throw InputError(netFile.string(), "", "a readable SUMO network file");
    std::string text;
    char buf[1 << 16];
    int got = 0;
    const char* nul = nullptr;
    while (!nul && text.size() <= limit && !interruptRequested() && (got = gzread(file, buf, sizeof buf)) > 0) {
        nul = static_cast<const char*>(std::memchr(buf, 0, static_cast<size_t>(got)));
        text.append(buf, nul ? nul - buf : got);
    }
    int status = Z_OK;
    std::string zlibMessage = gzerror(file, &status);  // "FILE: what went wrong", or ""
    gzclose(file);
    const std::string name = netFile.string(), what = kNetFileInput.what;
    if (zlibMessage.rfind(name + ": ", 0) == 0) zlibMessage.erase(0, name.size() + 2);
    if (interruptRequested()) throw Interrupted();
    if (nul)
        throw InputError(name, "", what + " (XML text; this one holds a NUL byte at byte " + std::to_string(text.size()) + ")");
    if (text.size() > limit)
        throw InputError(name, "",
                         what + " of at most " + std::to_string(limit / kMiB) +
                             " MiB uncompressed; this one is larger (reading stopped there)");
    if (status != Z_OK) throw InputError(name, "", what + " that reads to its end (zlib: " + zlibMessage + ")");
    return text;
}

// "line N" of byte `offset`, counted on the file itself (parsing in place overwrote the text's
// separators with string ends).
std::string lineOf(const std::filesystem::path& netFile, ptrdiff_t offset) {
    const std::string text = readNetText(netFile, kNetFileInput.maxBytes);
    const auto end = text.begin() + std::clamp<ptrdiff_t>(offset, 0, static_cast<ptrdiff_t>(text.size()));
    return "line " + std::to_string(1 + std::count(text.begin(), end, '\n'));
}

std::string roadClassOf(const std::string& type) {
    const std::string prefix = "highway.";
    return type.rfind(prefix, 0) == 0 ? type.substr(prefix.size()) : type;
}

}  // namespace

NetFileAttributes readNetFileAttributes(const std::filesystem::path& netFile) {
    std::string text = readNetText(netFile, kNetFileInput.maxBytes);
    pugi::xml_document doc;
    // Only the elements and their attributes (entities decoded): no comments, no whitespace.
    const pugi::xml_parse_result parsed =
        doc.load_buffer_inplace(text.data(), text.size(), pugi::parse_escapes, pugi::encoding_utf8);
    if (!parsed)
        throw InputError(netFile.string(), lineOf(netFile, parsed.offset),
                         std::string(kNetFileInput.what) + " in well-formed XML (" + parsed.description() + ")");
    const pugi::xml_node net = doc.document_element();
    if (std::strcmp(net.name(), "net") != 0)
        throw InputError(netFile.string(), lineOf(netFile, net.offset_debug()),
                         std::string("a SUMO network: the root element <net>, not <") + net.name() + ">");
    NetFileAttributes out;
    for (const pugi::xml_node edge : net.children("edge")) {
        if (*edge.attribute("function").value()) continue;  // internal, crossing, walkingarea
        const std::string id = edge.attribute("id").value();
        if (id.empty()) throw InputError(netFile.string(), lineOf(netFile, edge.offset_debug()), "an <edge> with an id");
        out.edges.emplace(id, NetEdgeAttributes{edge.attribute("from").value(), edge.attribute("to").value(),
                                                roadClassOf(edge.attribute("type").value())});
    }
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

RoadNetwork loadRoads(const Simulation& sim, const std::filesystem::path& netFile, const TownMap& towns) {
    RoadNetwork roads = sim.roadNetwork();
    applyNetFileAttributes(roads, readNetFileAttributes(netFile));
    attributeTowns(roads, towns);
    return roads;
}

}  // namespace alprsim
