// Placement strategies on small hand-built networks (no SUMO).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/files.h"
#include "sensors/camera_config.h"
#include "sensors/placement.h"
#include "sim/road_network.h"

using namespace alprsim;

namespace {

// An edge 100 m long along the x axis at height y, in `town`, leading to `successors` (ids).
struct EdgeSpec {
    std::string id, town;
    std::vector<std::string> successors;
};

RoadNetwork network(std::vector<EdgeSpec> specs) {
    std::sort(specs.begin(), specs.end(), [](const EdgeSpec& a, const EdgeSpec& b) { return a.id < b.id; });
    std::vector<RoadEdge> edges;
    for (size_t i = 0; i < specs.size(); ++i) {
        RoadEdge e;
        e.id = specs[i].id;
        e.town = specs[i].town;
        e.length = 100.0;
        e.maxSpeed = 13.9;
        e.lanes = 1;
        e.shape = {{0.0, 10.0 * i}, {100.0, 10.0 * i}};
        e.shapeWgs84 = {{42.3 + 1e-4 * i, -71.1}, {42.3 + 1e-4 * i, -71.099}};
        edges.push_back(e);
    }
    RoadNetwork net(std::move(edges));
    for (size_t i = 0; i < specs.size(); ++i)
        for (const std::string& s : specs[i].successors) net.mutableEdges()[i].successors.push_back(net.indexOf(s));
    return net;
}

PlacementRequest request(CameraPlacement strategy, size_t count, std::string town = "") {
    PlacementRequest r;
    r.strategy = strategy;
    r.count = count;
    r.agency = "Test";
    r.town = std::move(town);
    r.source = "test.json";
    r.countPath = "/cameras/count";
    r.townPath = "/cameras/town";
    return r;
}

std::set<std::string> edgesOf(const std::vector<Camera>& cameras) {
    std::set<std::string> out;
    for (const Camera& c : cameras) out.insert(c.edge);
    return out;
}

// Boston -> Brookline roads and back, and one from Newton:
//   a (Boston) -> b (Brookline) -> c (Brookline) -> d (Boston) -> e (Brookline)
//   f (Newton) -> c;   g (Brookline) -> b;   c -> g
RoadNetwork townEdges() {
    return network({{"a", "Boston", {"b"}},
                    {"b", "Brookline", {"c"}},
                    {"c", "Brookline", {"d", "g"}},
                    {"d", "Boston", {"e"}},
                    {"e", "Brookline", {}},
                    {"f", "Newton", {"c"}},
                    {"g", "Brookline", {"b"}}});
}

}  // namespace

TEST_CASE("border placement picks exactly the edges that enter the town", "[sensors][placement]") {
    const RoadNetwork net = townEdges();
    std::vector<size_t> border = borderEdges(net, "Brookline");
    std::set<std::string> ids;
    for (size_t i : border) ids.insert(net.edges()[i].id);
    CHECK(ids == std::set<std::string>{"b", "c", "e"});  // from a, f and d; not g (inside) nor d (leaves)

    const auto cams = placeCameras(request(CameraPlacement::Border, 3, "brookline"), {}, net);
    CHECK(edgesOf(cams) == std::set<std::string>{"b", "c", "e"});
    for (const Camera& c : cams) CHECK(c.town == "Brookline");

    // The busiest border edges first when the budget is smaller.
    std::vector<TripPlan> plans(3);
    plans[0].route = net.edgeIndices({"d", "e"});
    plans[1].route = net.edgeIndices({"d", "e"});
    plans[2].route = net.edgeIndices({"a", "b", "c"});
    CHECK(edgesOf(placeCameras(request(CameraPlacement::Border, 1, "Brookline"), plans, net)) == std::set<std::string>{"e"});

    // A budget the fence cannot take is an input error naming the count.
    try {
        placeCameras(request(CameraPlacement::Border, 4, "Brookline"), {}, net);
        FAIL("expected an InputError");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("/cameras/count") != std::string::npos);
        CHECK(std::string(e.what()).find("at most 3") != std::string::npos);
    }
    CHECK_THROWS_AS(placeCameras(request(CameraPlacement::Border, 1, "Springfield"), {}, net), InputError);
}

TEST_CASE("betweenness ranks the edges that shortest paths funnel through", "[sensors][placement]") {
    // Two feeders and two exits joined by one edge m: every path between them crosses m.
    const RoadNetwork net =
        network({{"in1", "X", {"m"}}, {"in2", "X", {"m"}}, {"m", "X", {"out1", "out2"}}, {"out1", "X", {}}, {"out2", "X", {}}});
    const std::vector<double> c = edgeBetweenness(net);
    const size_t m = net.indexOf("m");
    for (size_t i = 0; i < c.size(); ++i)
        if (i != m) CHECK(c[m] > c[i]);
    CHECK(c[m] == Approx(4.0));  // in1/in2 to out1/out2: four pairs through m
    CHECK(edgesOf(placeCameras(request(CameraPlacement::Betweenness, 1), {}, net)) == std::set<std::string>{"m"});
}

TEST_CASE("ranked placement keeps sites apart and one to an intersection when asked", "[sensors][placement]") {
    // Five parallel edges 11 m apart (network() above), all equally busy.
    RoadNetwork net = network({{"p", "X", {}}, {"q", "X", {}}, {"r", "X", {}}, {"s", "X", {}}, {"t", "X", {}}});
    PlacementRequest r = request(CameraPlacement::BusiestEdges, 3);
    CHECK(placeCameras(r, {}, net).size() == 3);  // no spacing asked: the ranking alone
    r.minSpacingMetres = 20;                      // every other edge fits: p, r, t
    CHECK(edgesOf(placeCameras(r, {}, net)) == std::set<std::string>{"p", "r", "t"});
    r.minSpacingMetres = 300;
    CHECK_THROWS_WITH(placeCameras(r, {}, net), Catch::Contains("/cameras/count") && Catch::Contains("300 m apart"));
    r.count = 1;
    CHECK(placeCameras(r, {}, net).size() == 1);
    // Edges facing one intersection hold one site between them, however far apart they start.
    r.minSpacingMetres = 5;
    r.count = 2;
    for (RoadEdge& e : net.mutableEdges()) e.toJunction = e.id == "p" || e.id == "q" ? "J" : "K" + e.id;
    CHECK(edgesOf(placeCameras(r, {}, net)) == std::set<std::string>{"p", "r"});
}

TEST_CASE("random placement is deterministic by seed and never repeats an edge", "[sensors][placement]") {
    const RoadNetwork net = townEdges();
    PlacementRequest r = request(CameraPlacement::Random, 4);
    r.seed = 11;
    const auto first = edgesOf(placeCameras(r, {}, net));
    CHECK(first.size() == 4);
    CHECK(edgesOf(placeCameras(r, {}, net)) == first);
    std::set<std::set<std::string>> draws;
    for (uint64_t seed = 1; seed <= 8; ++seed) {
        r.seed = seed;
        draws.insert(edgesOf(placeCameras(r, {}, net)));
    }
    CHECK(draws.size() > 1);
    r.town = "Brookline";
    r.count = 4;
    for (const Camera& c : placeCameras(r, {}, net)) CHECK(c.town == "Brookline");
    r.count = 5;
    CHECK_THROWS_AS(placeCameras(r, {}, net), InputError);
}

TEST_CASE("agencies placement avoids towns that opted out", "[sensors][placement]") {
    const RoadNetwork net = townEdges();
    PlacementRequest r = request(CameraPlacement::Agencies, 2);
    r.agencies = {{"Boston", "independent-purchase", false}, {"Brookline", "state-grant-2011", true}};
    const auto cams = placeCameras(r, {}, net);
    CHECK(edgesOf(cams) == std::set<std::string>{"a", "d"});
    for (const Camera& c : cams) CHECK(c.agency == "Boston");
    CHECK(std::set<std::string>{cams[0].id, cams[1].id} == std::set<std::string>{"boston-cam000", "boston-cam001"});
    r.count = 3;
    CHECK_THROWS_AS(placeCameras(r, {}, net), InputError);
}

TEST_CASE("the agencies list records Brookline's refusal", "[sensors][placement]") {
    const auto dirs = dataSearchPath(ALPRSIM_SOURCE_DIR);
    const fs::path csv = findDataFile("ma/alpr-agencies.csv", dirs);
    REQUIRE_FALSE(csv.empty());
    const auto programs = loadAgencyPrograms(csv.string());
    CHECK(programs.size() == 61);
    size_t optedOut = 0;
    for (const AgencyProgram& p : programs) {
        if (p.optedOut) ++optedOut;
        if (p.town == "Brookline") CHECK(p.optedOut);
        if (p.town == "Amherst") CHECK_FALSE(p.optedOut);
    }
    CHECK(optedOut >= 1);
}

TEST_CASE("the cameras section is validated with paths", "[sensors][config]") {
    const auto read = [](const char* text) {
        return readCameraConfig(JsonObjectReader(nlohmann::json::parse(text), "s.json", "/cameras"));
    };
    const CameraConfig c = read(R"({"agency": "Brookline", "placement": "border", "town": "Brookline", "count": 5,
        "camera": {"focal_length_mm": 25, "illumination": "none"}, "conditions": {"rain": 0.5},
        "patrol": {"cars": 2, "shift_hours": 4}})");
    CHECK(c.request.strategy == CameraPlacement::Border);
    CHECK(c.camera.focalLengthMm == 25.0);
    CHECK_FALSE(c.camera.infrared);
    CHECK(c.camera.rangeM == CameraModel{}.rangeM);
    CHECK(c.ambient.rain == 0.5);
    // One fleet, the cameras' agency's, in its own town by default, its cars patrol01, patrol02.
    REQUIRE(c.patrol.fleets.size() == 1);
    CHECK(c.patrol.cars() == 2);
    CHECK(c.patrol.fleets[0].agency == "Brookline");
    CHECK(c.patrol.fleets[0].town == "Brookline");
    CHECK(c.patrol.fleets[0].townPath == "/cameras/patrol/town");
    CHECK_FALSE(c.patrol.byAgency);
    CHECK(patrolCarPrefix(c.patrol, c.patrol.fleets[0]) == "patrol");
    CHECK(read(R"({"agency": "B", "placement": "none", "patrol": {"cars": 0}})").patrol.fleets.empty());
    CHECK(c.patrol.camera.focalLengthMm == patrolCameraDefaults().focalLengthMm);
    CHECK(read(R"({"agency": "Boston", "placement": "busiest-edges", "count": 3})").request.strategy ==
          CameraPlacement::BusiestEdges);

    const auto errorOf = [&](const char* text) {
        try {
            read(text);
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(errorOf(R"({"agency": "B", "placement": "border", "count": 5})").find("/cameras/town") != std::string::npos);
    CHECK(errorOf(R"({"agency": "B", "placement": "volume", "count": 5, "camera": {"focal_lenght_mm": 8}})")
              .find("/cameras/camera/focal_lenght_mm") != std::string::npos);
    CHECK(errorOf(R"({"agency": "B", "placement": "none", "patrol": {"cars": -1}})").find("/cameras/patrol/cars") !=
          std::string::npos);
    CHECK(errorOf(R"({"agency": "B", "placement": "volume", "count": 5, "camera": {"illumination": "sun"}})")
              .find("/cameras/camera/illumination") != std::string::npos);

    SECTION("the patrol's time stationary and the kerb's stalls") {
        CHECK(c.patrol.stationaryShare == 0.25);  // the sourced defaults (sensors/patrol.h, parked.h)
        CHECK(c.patrol.stopMinutes == 36.0);
        CHECK(c.patrol.parked.stallLengthM == 6.4);
        const CameraConfig set = read(R"({"agency": "B", "placement": "none", "patrol": {"cars": 1,
            "stationary_share": 0, "stop_minutes": 20, "parked": {"stall_length_m": 7.3}}})");
        CHECK(set.patrol.stationaryShare == 0.0);
        CHECK(set.patrol.stopMinutes == 20.0);
        CHECK(set.patrol.parked.stallLengthM == 7.3);
        CHECK(errorOf(R"({"agency": "B", "placement": "none", "patrol": {"cars": 1, "stationary_share": 1}})")
                  .find("/cameras/patrol/stationary_share") != std::string::npos);
        CHECK(errorOf(R"({"agency": "B", "placement": "none", "patrol": {"cars": 1, "parked": {"stall_length_m": 2}}})")
                  .find("/cameras/patrol/parked/stall_length_m") != std::string::npos);
    }
}

TEST_CASE("agencies with quotas place each agency's sites on its own town's busiest edges, none on stand-in roads",
          "[sensors][placement][region]") {
    // "x" has no town (a stand-in road between two towns' extracts) and carries the most traffic.
    const RoadNetwork net = network(
        {{"a1", "Alpha", {}}, {"a2", "Alpha", {}}, {"a3", "Alpha", {}}, {"b1", "Beta", {}}, {"b2", "Beta", {}}, {"x", "", {}}});
    std::vector<TripPlan> plans(4);
    for (TripPlan& p : plans) p.route = net.edgeIndices({"x", "a3", "b2"});
    plans[0].route = net.edgeIndices({"x", "a1"});
    PlacementRequest r = request(CameraPlacement::Agencies, 3);
    r.quotas = {{"Alpha PD", "Alpha", 2, "/agencies/by_agency/Alpha PD"},
                {"Beta PD", "Beta", 1, "/agencies/by_agency/Beta PD"},
                {"Gamma PD", "Gamma", 0, "/agencies/by_agency/Gamma PD"}};  // none asked: its town need not be here
    const std::vector<Camera> cameras = placeCameras(r, plans, net);
    REQUIRE(cameras.size() == 3);
    CHECK(cameras[0].edge == "a3");  // Alpha's busiest, then the next
    CHECK(cameras[1].edge == "a1");
    CHECK(cameras[2].edge == "b2");
    for (const Camera& c : cameras) {
        CHECK(c.agency == c.town + " PD");
        CHECK(c.edge != "x");
    }
    CHECK(std::set<std::string>{cameras[0].id, cameras[1].id, cameras[2].id}.size() == 3);

    r.quotas[1].count = 3;  // Beta has two edges
    CHECK_THROWS_WITH(placeCameras(r, plans, net), Catch::Contains("/agencies/by_agency/Beta PD/fixed"));
    r.quotas[1].count = 1;
    r.quotas[2].count = 1;  // Gamma has no roads here
    try {
        placeCameras(r, plans, net);
        FAIL("Gamma has no roads");
    } catch (const InputError& e) {
        CHECK(e.where() == "/agencies/by_agency/Gamma PD");
    }
}

TEST_CASE(
    "agencies placement numbers each agency's cameras within the agency: one agency's sites leave the others' ids and "
    "sites unchanged",
    "[sensors][placement][region]") {
    // Beta's agency comes between Alpha's and Gamma's: numbered run-wide, its sites would renumber Gamma's.
    const RoadNetwork net = network({{"a1", "Alpha", {}},
                                     {"a2", "Alpha", {}},
                                     {"b1", "Beta", {}},
                                     {"b2", "Beta", {}},
                                     {"g1", "Gamma", {}},
                                     {"g2", "Gamma", {}},
                                     {"g3", "Gamma", {}}});
    std::vector<TripPlan> plans(3);
    for (TripPlan& p : plans) p.route = net.edgeIndices({"a2", "b2", "g3"});
    plans[0].route = net.edgeIndices({"a1", "b1", "g1", "g2", "g3"});
    PlacementRequest r = request(CameraPlacement::Agencies, 0);
    r.quotas = {{"Alpha PD", "Alpha", 2, "/agencies/by_agency/Alpha PD"},
                {"Beta", "Beta", 0, "/agencies/by_agency/Beta"},
                {"Gamma", "Gamma", 3, "/agencies/by_agency/Gamma"}};
    const auto others = [](const std::vector<Camera>& cameras) {
        std::vector<std::tuple<std::string, std::string, std::string, double>> out;
        for (const Camera& c : cameras)
            if (c.agency != "Beta") out.emplace_back(c.id, c.agency, c.edge, c.position);
        return out;
    };
    const std::vector<Camera> withoutBeta = placeCameras(r, plans, net);
    REQUIRE(withoutBeta.size() == 5);
    CHECK(withoutBeta[0].id == "alpha-pd-cam000");  // the name's slug (nameSlug)
    CHECK(withoutBeta[1].id == "alpha-pd-cam001");
    CHECK(withoutBeta[2].id == "gamma-cam000");
    CHECK(withoutBeta[4].id == "gamma-cam002");
    for (size_t beta : {1, 2}) {
        r.quotas[1].count = beta;
        const std::vector<Camera> withBeta = placeCameras(r, plans, net);
        REQUIRE(withBeta.size() == 5 + beta);
        CHECK(others(withBeta) == others(withoutBeta));
        CHECK(withBeta[2].id == "beta-cam000");
    }
    r.quotas[0].count = 0;  // and removing Alpha's leaves Gamma's as they were
    auto gammas = others(withoutBeta);
    gammas.erase(gammas.begin(), gammas.begin() + 2);
    CHECK(others(placeCameras(r, plans, net)) == gammas);

    // Every other placement numbers its cameras run-wide, as before.
    const std::vector<Camera> busiest = placeCameras(request(CameraPlacement::BusiestEdges, 3), plans, net);
    CHECK(busiest[0].id == "cam000");
    CHECK(busiest[2].id == "cam002");
}
