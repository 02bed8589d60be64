#include "sim/region_osm.h"

#include <fmt/format.h>
#include <pugixml.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <unordered_map>

#include "core/csv.h"
#include "core/error.h"
#include "core/files.h"
#include "core/hash.h"
#include "core/output_error.h"
#include "sim/net_import.h"
#include "sim/town_shares.h"
#include "sim/towns.h"

namespace fs = std::filesystem;

namespace alprsim {

namespace {

using Tags = std::vector<std::pair<std::string, std::string>>;

struct OsmNode {
    LatLon at;
    Tags tags;
};

// A road piece: the run of a way's nodes inside its town, with a cut at either end where the
// way goes on across the town line. Cut ends are indexes into Extract::cuts, -1 for none.
struct Piece {
    int64_t wayId = 0;
    std::shared_ptr<const Tags> tags;  // the way's, shared by its pieces
    bool whole = false;                // the way lies inside the town from end to end
    std::vector<int64_t> nodes;
    int cutBefore = -1, cutAfter = -1;
};

struct Cut {
    LatLon at;
    std::string intoTown;
    std::string road;
};

struct Extract {
    const Town* town = nullptr;
    std::unordered_map<int64_t, OsmNode> nodes;
    std::vector<Piece> pieces;
    std::vector<Cut> cuts;
    std::vector<pugi::xml_node> restrictions;
    pugi::xml_document doc;
};

bool inTown(const Town& town, LatLon p) {
    if (p.lat < town.boxMin.lat || p.lat > town.boxMax.lat || p.lon < town.boxMin.lon || p.lon > town.boxMax.lon) return false;
    return insideRings(town.rings, p);
}

// Where the segment from inside (in the town) to outside crosses the town line, by bisection:
// 30 halvings of a segment under a kilometre are well under a millimetre.
LatLon crossingPoint(const Town& town, LatLon inside, LatLon outside) {
    for (int i = 0; i < 30; ++i) {
        const LatLon mid{(inside.lat + outside.lat) / 2, (inside.lon + outside.lon) / 2};
        (inTown(town, mid) ? inside : outside) = mid;
    }
    return {(inside.lat + outside.lat) / 2, (inside.lon + outside.lon) / 2};
}

Tags tagsOf(const pugi::xml_node& element) {
    Tags tags;
    for (const pugi::xml_node& tag : element.children("tag"))
        tags.emplace_back(tag.attribute("k").value(), tag.attribute("v").value());
    return tags;
}

std::string tagValue(const Tags& tags, const std::string& key) {
    for (const auto& [k, v] : tags)
        if (k == key) return v;
    return "";
}

// What the border table calls a road: its name, or its class when it has none.
std::string roadName(const Tags& tags) {
    const std::string name = tagValue(tags, "name");
    return name.empty() ? tagValue(tags, "highway") : name;
}

void loadDocument(Extract& e, const TownExtract& source) {
    const std::string bytes = readTextFile(source.osm, kRegionOsmInput);
    const pugi::xml_parse_result parsed = e.doc.load_buffer(bytes.data(), bytes.size());
    if (!parsed)
        throw InputError(source.osm.string(), "byte " + std::to_string(parsed.offset),
                         std::string("OpenStreetMap XML (") + parsed.description() + ")");
    if (!e.doc.child("osm")) throw InputError(source.osm.string(), "/osm", "an <osm> root element");
}

void loadNodes(Extract& e, const TownExtract& source) {
    for (const pugi::xml_node& n : e.doc.child("osm").children("node")) {
        const int64_t id = n.attribute("id").as_llong(0);
        const pugi::xml_attribute lat = n.attribute("lat"), lon = n.attribute("lon");
        if (id == 0 || !lat || !lon)
            throw InputError(source.osm.string(), "node " + std::string(n.attribute("id").value()),
                             "a node with an id, lat and lon");
        e.nodes[id] = {{lat.as_double(), lon.as_double()}, tagsOf(n)};
    }
}

// Splits one way into the pieces that lie inside the town, cutting it at the town line.
void clipWay(Extract& e, const TownMap& towns, const pugi::xml_node& way, const std::string& file) {
    const int64_t wayId = way.attribute("id").as_llong(0);
    std::vector<int64_t> refs;
    for (const pugi::xml_node& nd : way.children("nd")) {
        const int64_t ref = nd.attribute("ref").as_llong(0);
        if (!e.nodes.count(ref))
            throw InputError(file, "way " + std::to_string(wayId),
                             "node references to nodes in the file (node " + std::string(nd.attribute("ref").value()) + ")");
        refs.push_back(ref);
    }
    const auto tags = std::make_shared<const Tags>(tagsOf(way));
    const std::string road = roadName(*tags);
    auto makeCut = [&](int64_t inside, int64_t outside) {
        const LatLon in = e.nodes.at(inside).at, out = e.nodes.at(outside).at;
        const Town* beyond = towns.townAt(out);
        e.cuts.push_back({crossingPoint(*e.town, in, out), beyond ? beyond->name : "", road});
        return static_cast<int>(e.cuts.size()) - 1;
    };
    Piece piece;
    for (size_t i = 0; i < refs.size(); ++i) {
        if (!inTown(*e.town, e.nodes.at(refs[i]).at)) continue;
        if (piece.nodes.empty() && i > 0) piece.cutBefore = makeCut(refs[i], refs[i - 1]);
        piece.nodes.push_back(refs[i]);
        const bool lastInside = i + 1 == refs.size() || !inTown(*e.town, e.nodes.at(refs[i + 1]).at);
        if (!lastInside) continue;
        if (i + 1 < refs.size()) piece.cutAfter = makeCut(refs[i], refs[i + 1]);
        piece.wayId = wayId;
        piece.tags = tags;
        piece.whole = piece.cutBefore < 0 && piece.cutAfter < 0 && piece.nodes.size() == refs.size();
        if (piece.nodes.size() + (piece.cutBefore >= 0) + (piece.cutAfter >= 0) >= 2) e.pieces.push_back(piece);
        piece = Piece{};
    }
}

void loadExtract(Extract& e, const TownExtract& source, const TownMap& towns) {
    loadDocument(e, source);
    loadNodes(e, source);
    for (const pugi::xml_node& way : e.doc.child("osm").children("way"))
        if (way.find_child_by_attribute("tag", "k", "highway")) clipWay(e, towns, way, source.osm.string());
    for (const pugi::xml_node& rel : e.doc.child("osm").children("relation"))
        if (rel.find_child_by_attribute("tag", "k", "type") &&
            std::string(rel.find_child_by_attribute("tag", "k", "type").attribute("v").value()) == "restriction")
            e.restrictions.push_back(rel);
}

// A place where one town's roads stop at (or near) its line: a cut this import made, or a dead
// end the extract already had within kNearLineMetres of the line (the OSMnx extracts were
// clipped at the town polygon, so their roads end short of it rather than crossing it).
struct BorderCandidate {
    size_t extract;
    int cut = -1;      // index into Extract::cuts, or
    int64_t node = 0;  // a dead-end node of the extract
    LatLon at;
    std::string road;
    const Piece* piece = nullptr;  // the road piece it ends
    bool atStart = false;          // ...at the piece's first node (else its last)
    int borderNode = -1;
    bool linked = false;  // the far end of a connector another candidate made
};

constexpr double kNearLineMetres = 60.0;
constexpr double kCoverageMetres = 250.0;  // a town's extract "covers" a point it has a node this close to

std::vector<BorderCandidate> borderCandidates(const std::vector<Extract>& extracts) {
    std::vector<BorderCandidate> out;
    for (size_t i = 0; i < extracts.size(); ++i) {
        const Extract& e = extracts[i];
        std::map<int64_t, int> degree;  // ordered: candidates in id order, independent of hashing
        std::map<int64_t, std::pair<const Piece*, bool>> endOf;
        for (const Piece& p : e.pieces) {
            if (p.cutBefore >= 0) out.push_back({i, p.cutBefore, 0, e.cuts[p.cutBefore].at, e.cuts[p.cutBefore].road, &p, true});
            if (p.cutAfter >= 0) out.push_back({i, p.cutAfter, 0, e.cuts[p.cutAfter].at, e.cuts[p.cutAfter].road, &p, false});
            for (size_t k = 0; k < p.nodes.size(); ++k) degree[p.nodes[k]] += (k == 0 || k + 1 == p.nodes.size()) ? 1 : 2;
            if (p.cutBefore < 0) endOf[p.nodes.front()] = {&p, true};
            if (p.cutAfter < 0) endOf[p.nodes.back()] = {&p, false};
            if (p.cutBefore >= 0) degree[p.nodes.front()] += 1;
            if (p.cutAfter >= 0) degree[p.nodes.back()] += 1;
        }
        for (const auto& [node, d] : degree) {
            if (d != 1 || !endOf.count(node)) continue;
            const LatLon at = e.nodes.at(node).at;
            if (metresToBoundary(at, *e.town) > kNearLineMetres) continue;
            const auto [piece, atStart] = endOf.at(node);
            out.push_back({i, -1, node, at, roadName(*piece->tags), piece, atStart});
        }
    }
    return out;
}

bool covers(const Extract& e, LatLon p) {
    for (const Piece& piece : e.pieces)
        for (int64_t n : piece.nodes) {
            const LatLon q = e.nodes.at(n).at;
            if (std::abs(q.lat - p.lat) < 0.003 && haversineMetres(q, p) <= kCoverageMetres) return true;
        }
    return false;
}

// Joins border candidates of two towns: nearest pairs first (a pair on differently named roads
// counts 15 m farther), each candidate at most once; ties keep input order (stable sort).
void joinCandidates(std::vector<BorderCandidate>& ends, const std::vector<Extract>& extracts, double joinMetres,
                    std::vector<LatLon>& borderNodes, RegionOsm& out) {
    struct Pair {
        double score, metres;
        size_t a, b;
    };
    std::vector<Pair> pairs;
    for (size_t a = 0; a < ends.size(); ++a)
        for (size_t b = a + 1; b < ends.size(); ++b) {
            if (ends[a].extract == ends[b].extract) continue;
            const double d = haversineMetres(ends[a].at, ends[b].at);
            if (d > joinMetres) continue;
            pairs.push_back({d + (ends[a].road == ends[b].road ? 0.0 : 15.0), d, a, b});
        }
    std::stable_sort(pairs.begin(), pairs.end(), [](const Pair& x, const Pair& y) { return x.score < y.score; });
    for (const Pair& p : pairs) {
        BorderCandidate& a = ends[p.a];
        BorderCandidate& b = ends[p.b];
        if (a.borderNode >= 0 || b.borderNode >= 0) continue;
        const LatLon mid{(a.at.lat + b.at.lat) / 2, (a.at.lon + b.at.lon) / 2};
        borderNodes.push_back(mid);
        a.borderNode = b.borderNode = static_cast<int>(borderNodes.size()) - 1;
        const std::string road = a.road == b.road ? a.road : a.road + " / " + b.road;
        out.ends.push_back(
            {BorderEnd::Kind::Crossing, extracts[a.extract].town->name, extracts[b.extract].town->name, road, mid, p.metres});
    }
}

// A short road the import adds from one town's unjoined end to the nearest road node of a
// neighbour: the extracts stop up to ~100 m short of each other where the real roads meet.
struct Connector {
    size_t fromExtract, toExtract;
    const BorderCandidate* from;
    int64_t toNode;  // a node of toExtract's roads
    double metres;
};

// The nearest node of another town's roads within reach of `at`, or {npos, 0}.
std::pair<size_t, int64_t> nearestNeighbourNode(const std::vector<Extract>& extracts, size_t self, LatLon at, double reachMetres,
                                                double& metres) {
    std::pair<size_t, int64_t> best{std::string::npos, 0};
    metres = reachMetres;
    for (size_t j = 0; j < extracts.size(); ++j) {
        if (j == self) continue;
        for (const Piece& p : extracts[j].pieces)
            for (int64_t n : p.nodes) {
                const LatLon q = extracts[j].nodes.at(n).at;
                if (std::abs(q.lat - at.lat) > 0.002) continue;
                const double d = haversineMetres(q, at);
                if (d < metres || (d == metres && best.first == std::string::npos)) {
                    metres = d;
                    best = {j, n};
                }
            }
    }
    return best;
}

// What is left after joining: an end within reach of another town's road is connected to its
// nearest node; a cut otherwise becomes a dead end at the town line, reported as a gap when the
// town it leads into is in the region and its extract has roads there, as the fringe otherwise;
// a dead end the extract already had is reported only as a gap (beside a region town that has
// roads there), and otherwise left as it was.
std::vector<Connector> connectOrReport(std::vector<BorderCandidate>& ends, const std::vector<Extract>& extracts,
                                       double connectMetres, std::vector<LatLon>& borderNodes, RegionOsm& out) {
    std::vector<Connector> connectors;
    auto coveringTown = [&](size_t self, LatLon at, const std::string& into) -> const Extract* {
        for (size_t j = 0; j < extracts.size(); ++j) {
            if (j == self) continue;
            const bool candidate =
                into.empty() ? metresToBoundary(at, *extracts[j].town) <= kNearLineMetres : extracts[j].town->name == into;
            if (candidate && covers(extracts[j], at)) return &extracts[j];
        }
        return nullptr;
    };
    for (BorderCandidate& c : ends) {
        if (c.borderNode >= 0 || c.linked) continue;
        const Extract& e = extracts[c.extract];
        if (c.cut >= 0) {  // a cut needs its own node at the line whatever happens next
            borderNodes.push_back(c.at);
            c.borderNode = static_cast<int>(borderNodes.size()) - 1;
        }
        double metres = 0;
        const auto [to, node] = nearestNeighbourNode(extracts, c.extract, c.at, connectMetres, metres);
        if (to != std::string::npos) {
            // A dead end it reaches is linked now: it must not add a second road back.
            for (BorderCandidate& far : ends)
                if (far.extract == to && far.cut < 0 && far.node == node) far.linked = true;
            connectors.push_back({c.extract, to, &c, node, metres});
            out.ends.push_back({BorderEnd::Kind::Connected, e.town->name, extracts[to].town->name, c.road, c.at, metres});
            continue;
        }
        const std::string into = c.cut >= 0 ? e.cuts[c.cut].intoTown : "";
        const Extract* other = coveringTown(c.extract, c.at, into);
        if (c.cut >= 0)
            out.ends.push_back({other ? BorderEnd::Kind::Gap : BorderEnd::Kind::Fringe, e.town->name, into, c.road, c.at, 0});
        else if (other)
            out.ends.push_back({BorderEnd::Kind::Gap, e.town->name, other->town->name, c.road, c.at, 0});
    }
    return connectors;
}

// A stand-in road starts from a main road (a one-way carriageway gets a one-way stand-in in its
// direction, its twin the other way) and ends on a two-way main street, which can be both
// entered and left; never on a motorway, which has no junction there.
bool mainRoad(const Tags& tags) {
    static const std::set<std::string> kMain = {"trunk", "primary", "secondary", "tertiary"};
    return kMain.count(tagValue(tags, "highway")) > 0;
}

bool twoWayMainStreet(const Tags& tags) {
    const std::string oneway = tagValue(tags, "oneway");
    return mainRoad(tags) && (oneway.empty() || oneway == "no");
}

// Nodes where two or more road pieces meet (or one piece passes twice): intersections.
std::set<int64_t> intersections(const Extract& e) {
    std::map<int64_t, int> uses;
    for (const Piece& p : e.pieces)
        for (int64_t n : p.nodes) ++uses[n];
    std::set<int64_t> out;
    for (const auto& [n, k] : uses)
        if (k >= 2) out.insert(n);
    return out;
}

// Towns reached from each other through joined and connected ends: component index per extract.
std::vector<int> townComponents(const std::vector<Extract>& extracts, const RegionOsm& out) {
    std::vector<int> component(extracts.size());
    for (size_t i = 0; i < extracts.size(); ++i) component[i] = static_cast<int>(i);
    auto indexOf = [&](const std::string& town) {
        for (size_t i = 0; i < extracts.size(); ++i)
            if (extracts[i].town->name == town) return i;
        return std::string::npos;
    };
    for (bool changed = true; changed;) {
        changed = false;
        for (const BorderEnd& e : out.ends) {
            if (e.kind != BorderEnd::Kind::Crossing && e.kind != BorderEnd::Kind::Connected) continue;
            const size_t a = indexOf(e.town), b = indexOf(e.intoTown);
            const int low = std::min(component[a], component[b]);
            if (component[a] != low || component[b] != low) changed = true;
            component[a] = component[b] = low;
        }
    }
    return component;
}

// The dead ends of an island's main roads anywhere in it, beside its border candidates: a main
// road does not end in the middle of a town, so such an end is where the extract stopped short
// of the road's real way out (everett.osm: Broadway and both carriageways of the Revere Beach
// Parkway end over 100 m inside the town, towards Charlestown and Wellington Circle).
void addMainRoadDeadEnds(const Extract& e, size_t index, const std::vector<BorderCandidate>& ends,
                         std::deque<BorderCandidate>& islandEnds) {
    std::set<int64_t> known;
    for (const BorderCandidate& c : ends)
        if (c.extract == index && c.cut < 0) known.insert(c.node);
    std::map<int64_t, int> degree;
    for (const Piece& p : e.pieces)
        for (size_t k = 0; k < p.nodes.size(); ++k) degree[p.nodes[k]] += (k == 0 || k + 1 == p.nodes.size()) ? 1 : 2;
    for (const Piece& p : e.pieces) {
        if (!mainRoad(*p.tags)) continue;
        if (p.cutBefore < 0 && degree[p.nodes.front()] == 1 && !known.count(p.nodes.front()))
            islandEnds.push_back({index, -1, p.nodes.front(), e.nodes.at(p.nodes.front()).at, roadName(*p.tags), &p, true});
        if (p.cutAfter < 0 && degree[p.nodes.back()] == 1 && !known.count(p.nodes.back()))
            islandEnds.push_back({index, -1, p.nodes.back(), e.nodes.at(p.nodes.back()).at, roadName(*p.tags), &p, false});
    }
}

// A town whose roads meet no other region town's within the extracts (the real links run
// through places the extracts leave out) is linked to the region by straight stand-in roads:
// from its main roads' border ends and dead ends to the nearest intersection on a two-way main
// street of the largest group of joined towns, the shortest kBridgesPerIsland. They carry no
// town and so no camera (see kBridgeWayIdBase).
std::vector<Connector> bridgeIslands(const std::vector<Extract>& extracts, const std::vector<BorderCandidate>& ends,
                                     std::deque<BorderCandidate>& islandEnds, double bridgeMetres, RegionOsm& out) {
    const std::vector<int> component = townComponents(extracts, out);
    std::map<int, double> km;  // road nodes per component: which is the mainland
    for (size_t i = 0; i < extracts.size(); ++i)
        for (const Piece& p : extracts[i].pieces) km[component[i]] += double(p.nodes.size());  // nodes as a size proxy
    int mainland = component[0];
    for (const auto& [c, size] : km)
        if (size > km[mainland]) mainland = c;
    struct Option {
        double metres;
        size_t end, to;
        int64_t node;
    };
    std::vector<std::set<int64_t>> crossroads;
    for (const Extract& e : extracts) crossroads.push_back(intersections(e));
    std::vector<Connector> bridges;
    std::vector<const BorderCandidate*> starts;  // the islands' main roads' border ends and dead ends
    for (const BorderCandidate& c : ends) starts.push_back(&c);
    for (size_t i = 0; i < extracts.size(); ++i)
        if (component[i] != mainland) addMainRoadDeadEnds(extracts[i], i, ends, islandEnds);
    for (const BorderCandidate& c : islandEnds) starts.push_back(&c);
    for (const auto& [island, size] : km) {
        if (island == mainland) continue;
        std::vector<Option> options;
        for (size_t k = 0; k < starts.size(); ++k) {
            const BorderCandidate& c = *starts[k];
            if (component[c.extract] != island || !mainRoad(*c.piece->tags)) continue;
            for (size_t j = 0; j < extracts.size(); ++j) {
                if (component[j] != mainland) continue;
                for (const Piece& p : extracts[j].pieces) {
                    if (!twoWayMainStreet(*p.tags)) continue;
                    for (int64_t n : p.nodes) {
                        if (!crossroads[j].count(n)) continue;
                        const double d = haversineMetres(extracts[j].nodes.at(n).at, c.at);
                        if (d <= bridgeMetres) options.push_back({d, k, j, n});
                    }
                }
            }
        }
        std::stable_sort(options.begin(), options.end(), [](const Option& x, const Option& y) { return x.metres < y.metres; });
        std::set<size_t> usedEnds;
        std::set<int64_t> usedNodes;
        for (const Option& o : options) {
            if (usedEnds.size() == kBridgesPerIsland) break;
            if (usedEnds.count(o.end) || usedNodes.count(o.node)) continue;
            usedEnds.insert(o.end);
            usedNodes.insert(o.node);
            const BorderCandidate& c = *starts[o.end];
            bridges.push_back({c.extract, o.to, &c, o.node, o.metres});
            out.ends.push_back(
                {BorderEnd::Kind::Bridge, extracts[c.extract].town->name, extracts[o.to].town->name, c.road, c.at, o.metres});
        }
    }
    return bridges;
}

// Where each extract's cuts and merged dead ends went: indexes into the border nodes.
struct BorderIndex {
    std::vector<LatLon> nodes;
    std::vector<std::vector<int>> cutNode;           // per extract, per cut
    std::vector<std::map<int64_t, int>> mergedNode;  // per extract: dead end -> border node

    BorderIndex(const std::vector<Extract>& extracts, std::vector<LatLon> borderNodes, const std::vector<BorderCandidate>& ends)
        : nodes(std::move(borderNodes)), cutNode(extracts.size()), mergedNode(extracts.size()) {
        for (size_t i = 0; i < extracts.size(); ++i) cutNode[i].assign(extracts[i].cuts.size(), -1);
        for (const BorderCandidate& c : ends) {
            if (c.borderNode < 0) continue;
            if (c.cut >= 0)
                cutNode[c.extract][c.cut] = c.borderNode;
            else
                mergedNode[c.extract][c.node] = c.borderNode;
        }
    }
};

// Writes the region: nodes renumbered from 1 (each extract's in turn, then the border nodes),
// ways from 1, restrictions whose ways were all kept whole.
class RegionWriter {
public:
    RegionWriter(std::vector<Extract>& extracts, const BorderIndex& border) : extracts_(extracts), border_(border) {
        osm_ = doc_.append_child("osm");
        osm_.append_attribute("version") = "0.6";
        osm_.append_attribute("generator") = "alprsim region";
    }

    void write(const std::vector<Connector>& connectors, size_t firstBridge, const fs::path& outOsm, RegionOsm& out) {
        numberNodes();
        for (size_t i = 0; i < extracts_.size(); ++i) writeNodes(i);
        for (size_t b = 0; b < border_.nodes.size(); ++b) addNode(borderBase_ + int64_t(b), border_.nodes[b], {});
        for (size_t i = 0; i < extracts_.size(); ++i) out.towns.push_back(writeWays(i));
        for (size_t k = 0; k < connectors.size(); ++k) writeConnector(connectors[k], k >= firstBridge);
        for (size_t i = 0; i < extracts_.size(); ++i) writeRestrictions(i, out.towns[i]);
        std::ostringstream xml;
        doc_.save(xml, "  ");
        writeFileAtomically(outOsm, xml.str());
    }

private:
    // Each extract's nodes in source id order, then the border nodes; a dead end merged into
    // a border node is written only as that node.
    void numberNodes() {
        int64_t next = 1;
        newIds_.resize(extracts_.size());
        for (size_t i = 0; i < extracts_.size(); ++i) {
            std::set<int64_t> used;
            for (const Piece& p : extracts_[i].pieces) used.insert(p.nodes.begin(), p.nodes.end());
            for (int64_t id : used)
                if (!border_.mergedNode[i].count(id)) newIds_[i][id] = next++;
        }
        borderBase_ = next;
        for (size_t i = 0; i < extracts_.size(); ++i)
            for (const auto& [id, b] : border_.mergedNode[i]) newIds_[i][id] = borderBase_ + b;
    }

    LatLon placeOf(size_t i, int64_t oldId) const {
        auto merged = border_.mergedNode[i].find(oldId);
        return merged != border_.mergedNode[i].end() ? border_.nodes[merged->second] : extracts_[i].nodes.at(oldId).at;
    }

    void addNode(int64_t id, LatLon at, const Tags& tags) {
        pugi::xml_node n = osm_.append_child("node");
        n.append_attribute("id") = static_cast<long long>(id);
        n.append_attribute("version") = "1";
        n.append_attribute("lat") = fmt::format("{:.7f}", at.lat).c_str();
        n.append_attribute("lon") = fmt::format("{:.7f}", at.lon).c_str();
        addTags(n, tags);
    }

    static void addTags(pugi::xml_node& element, const Tags& tags) {
        for (const auto& [k, v] : tags) {
            pugi::xml_node t = element.append_child("tag");
            t.append_attribute("k") = k.c_str();
            t.append_attribute("v") = v.c_str();
        }
    }

    void writeNodes(size_t i) {
        std::vector<std::pair<int64_t, int64_t>> order(newIds_[i].begin(), newIds_[i].end());
        std::sort(order.begin(), order.end(), [](auto& a, auto& b) { return a.second < b.second; });
        for (const auto& [oldId, newId] : order)
            if (newId < borderBase_) addNode(newId, extracts_[i].nodes.at(oldId).at, extracts_[i].nodes.at(oldId).tags);
    }

    RegionTownCounts writeWays(size_t i) {
        const Extract& e = extracts_[i];
        RegionTownCounts counts{e.town->name};
        for (const Piece& p : e.pieces) {
            pugi::xml_node w = osm_.append_child("way");
            const int64_t id = nextWay_++;
            w.append_attribute("id") = static_cast<long long>(id);
            w.append_attribute("version") = "1";
            std::vector<LatLon> line;
            auto nd = [&](int64_t ref, LatLon at) {
                w.append_child("nd").append_attribute("ref") = static_cast<long long>(ref);
                line.push_back(at);
            };
            if (p.cutBefore >= 0) nd(borderNode(i, p.cutBefore), border_.nodes[border_.cutNode[i][p.cutBefore]]);
            for (int64_t n : p.nodes) nd(newIds_[i].at(n), placeOf(i, n));
            if (p.cutAfter >= 0) nd(borderNode(i, p.cutAfter), border_.nodes[border_.cutNode[i][p.cutAfter]]);
            addTags(w, *p.tags);
            if (p.whole) wholeWays_[{i, p.wayId}] = id;
            ++counts.ways;
            for (size_t k = 1; k < line.size(); ++k) counts.roadKm += haversineMetres(line[k - 1], line[k]) / 1000.0;
        }
        return counts;
    }

    // The added road takes the class and name of the road it continues, and its direction when
    // that road is one-way: out of a piece's last node, into its first.
    void writeConnector(const Connector& c, bool bridge) {
        const BorderCandidate& end = *c.from;
        const int64_t own = end.cut >= 0 ? borderNode(c.fromExtract, end.cut) : newIds_[c.fromExtract].at(end.node);
        const int64_t other = newIds_[c.toExtract].at(c.toNode);
        const Tags& source = *end.piece->tags;
        const std::string oneway = tagValue(source, "oneway");
        const bool forward = oneway == "yes" || oneway == "true" || oneway == "1";
        const bool backward = oneway == "-1";
        // A stand-in road is classed apart from the road it continues: netconvert joins two
        // edges of one class through a node of degree two, and the stand-in's edge would lose
        // the id that marks it (isStandInEdge).
        const std::string highway = tagValue(source, "highway");
        Tags tags{{"highway", !bridge ? highway : highway == "tertiary" ? "secondary" : "tertiary"}};
        if (!tagValue(source, "name").empty()) tags.emplace_back("name", tagValue(source, "name"));
        if (forward || backward) tags.emplace_back("oneway", "yes");
        if (bridge) {  // an arterial, not the side street it starts from (kStandInLanesEachWay)
            tags.emplace_back("lanes", std::to_string(kStandInLanesEachWay * (forward || backward ? 1 : 2)));
            tags.emplace_back("maxspeed", kStandInMaxspeed);
        }
        const bool outward = (forward && !end.atStart) || (backward && end.atStart) || !(forward || backward);
        pugi::xml_node w = osm_.append_child("way");
        w.append_attribute("id") = static_cast<long long>(bridge ? kBridgeWayIdBase + nextBridge_++ : nextWay_++);
        w.append_attribute("version") = "1";
        w.append_child("nd").append_attribute("ref") = static_cast<long long>(outward ? own : other);
        w.append_child("nd").append_attribute("ref") = static_cast<long long>(outward ? other : own);
        addTags(w, tags);
    }

    int64_t borderNode(size_t i, int cut) const { return borderBase_ + border_.cutNode[i][cut]; }

    // A turn restriction survives only if its ways were kept whole: a way cut at a town line
    // no longer has the ends the restriction names.
    void writeRestrictions(size_t i, RegionTownCounts& counts) {
        for (const pugi::xml_node& rel : extracts_[i].restrictions) {
            pugi::xml_node copy;
            bool ok = true;
            std::vector<std::tuple<std::string, std::string, int64_t>> members;
            for (const pugi::xml_node& m : rel.children("member")) {
                const std::string type = m.attribute("type").value();
                const int64_t ref = m.attribute("ref").as_llong(0);
                int64_t id = 0;
                if (type == "way") {
                    auto it = wholeWays_.find({i, ref});
                    ok = ok && it != wholeWays_.end();
                    if (it != wholeWays_.end()) id = it->second;
                } else if (type == "node") {
                    auto it = newIds_[i].find(ref);
                    ok = ok && it != newIds_[i].end();
                    if (it != newIds_[i].end()) id = it->second;
                } else {
                    ok = false;
                }
                members.emplace_back(type, m.attribute("role").value(), id);
            }
            if (!ok || members.empty()) {
                ++counts.restrictionsDropped;
                continue;
            }
            copy = osm_.append_child("relation");
            copy.append_attribute("id") = static_cast<long long>(nextRelation_++);
            copy.append_attribute("version") = "1";
            for (const auto& [type, role, id] : members) {
                pugi::xml_node m = copy.append_child("member");
                m.append_attribute("type") = type.c_str();
                m.append_attribute("ref") = static_cast<long long>(id);
                m.append_attribute("role") = role.c_str();
            }
            addTags(copy, tagsOf(rel));
            ++counts.restrictionsKept;
        }
    }

    std::vector<Extract>& extracts_;
    const BorderIndex& border_;
    pugi::xml_document doc_;
    pugi::xml_node osm_;
    std::vector<std::unordered_map<int64_t, int64_t>> newIds_;
    std::map<std::pair<size_t, int64_t>, int64_t> wholeWays_;
    int64_t borderBase_ = 0, nextWay_ = 1, nextRelation_ = 1, nextBridge_ = 0;
};

}  // namespace

int RegionOsm::count(BorderEnd::Kind kind) const {
    return static_cast<int>(std::count_if(ends.begin(), ends.end(), [&](const BorderEnd& e) { return e.kind == kind; }));
}

RegionOsm buildRegionOsm(const std::vector<TownExtract>& extracts, const TownMap& towns, const fs::path& outOsm,
                         const BorderRules& rules) {
    if (extracts.empty()) throw InputError("", "region", "at least one town with its OpenStreetMap extract");
    if (!(rules.joinMetres >= 0 && rules.joinMetres <= 500))
        throw InputError("", "region join distance", "0 to 500 metres, got " + std::to_string(rules.joinMetres));
    if (!(rules.connectMetres >= 0 && rules.connectMetres <= 500))
        throw InputError("", "region connect distance", "0 to 500 metres, got " + std::to_string(rules.connectMetres));
    if (!(rules.bridgeMetres >= 0 && rules.bridgeMetres <= 10000))
        throw InputError("", "region bridge distance", "0 to 10000 metres, got " + std::to_string(rules.bridgeMetres));
    std::vector<Extract> loaded(extracts.size());
    for (size_t i = 0; i < extracts.size(); ++i) {
        loaded[i].town = towns.find(extracts[i].town);
        if (!loaded[i].town)
            throw InputError(extracts[i].osm.string(), "town", "a Massachusetts town name, got \"" + extracts[i].town + "\"");
        for (size_t j = 0; j < i; ++j)
            if (loaded[j].town == loaded[i].town)
                throw InputError(extracts[i].osm.string(), "town", "each town once, got " + loaded[i].town->name + " twice");
        loadExtract(loaded[i], extracts[i], towns);
    }
    RegionOsm out;
    std::vector<LatLon> borderNodes;
    std::vector<BorderCandidate> ends = borderCandidates(loaded);
    joinCandidates(ends, loaded, rules.joinMetres, borderNodes, out);
    std::vector<Connector> connectors = connectOrReport(ends, loaded, rules.connectMetres, borderNodes, out);
    const size_t firstBridge = connectors.size();
    std::deque<BorderCandidate> islandEnds;  // a deque: the connectors keep pointers into it
    for (Connector& b : bridgeIslands(loaded, ends, islandEnds, rules.bridgeMetres, out)) connectors.push_back(b);
    const BorderIndex border(loaded, std::move(borderNodes), ends);
    RegionWriter(loaded, border).write(connectors, firstBridge, outOsm, out);
    return out;
}

void writeBorderCsv(const RegionOsm& region, const fs::path& csv) {
    static const char* kKinds[] = {"crossing", "connected", "bridge", "gap", "fringe"};
    std::string text = csvRow({"kind", "town", "into_town", "road", "lat", "lon", "join_m"});
    for (const BorderEnd& e : region.ends)
        text += csvRow({kKinds[static_cast<int>(e.kind)], e.town, e.intoTown, e.road, fmt::format("{:.7f}", e.at.lat),
                        fmt::format("{:.7f}", e.at.lon), fmt::format("{:.1f}", e.joinMetres)});
    writeFileAtomically(csv, text);
}

uint64_t regionInputDigest(const std::vector<TownExtract>& extracts, const fs::path& townsFile, const BorderRules& rules) {
    // The version names this file's rules: change it with them, or caches keep the old output.
    uint64_t h = fnv1a64("alprsim-region-6");
    auto addFile = [&](const fs::path& file, const InputKind& kind) {
        readFileInPieces(file, kind, [&](const char* bytes, size_t n) { h = fnv1a64(std::string(bytes, n), h); });
    };
    for (const TownExtract& e : extracts) {
        h = fnv1a64(e.town + "\n", h);
        addFile(e.osm, kOsmInput);
    }
    addFile(townsFile, kTownsInput);
    return fnv1a64(
        std::to_string(rules.joinMetres) + "," + std::to_string(rules.connectMetres) + "," + std::to_string(rules.bridgeMetres),
        h);
}

}  // namespace alprsim

namespace alprsim {

fs::path cachedRegionNetwork(const std::vector<TownExtract>& extracts, const fs::path& townsFile, const fs::path& scratchDir,
                             const BorderRules& rules) {
    const std::string name = "region-" + hex64(regionInputDigest(extracts, townsFile, rules)) + ".osm";
    fs::path osm = cacheDir() / "regions" / name;
    std::error_code ec;
    if (fs::exists(osm, ec)) return cachedNetwork(osm, scratchDir);
    const TownMap towns = TownMap::load(townsFile);
    try {
        const RegionOsm region = buildRegionOsm(extracts, towns, osm, rules);
        writeBorderCsv(region, osm.string() + ".borders.csv");
    } catch (const OutputError& e) {
        if (scratchDir.empty()) throw;
        std::fprintf(stderr,
                     "alprsim: warning: %s; building the region without a cache (set ALPRSIM_CACHE to a writable folder)\n",
                     e.what());
        osm = scratchDir / "region-uncached.osm";
        buildRegionOsm(extracts, towns, osm, rules);
    }
    return cachedNetwork(osm, scratchDir);
}

bool isStandInEdge(const std::string& edgeId) {
    const char* digits = edgeId.c_str() + (edgeId.rfind('-', 0) == 0 ? 1 : 0);
    return std::strtoll(digits, nullptr, 10) >= kBridgeWayIdBase;
}

}  // namespace alprsim
