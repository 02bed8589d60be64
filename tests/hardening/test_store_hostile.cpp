// Hostile strings at the read stores (issue #10): a 100,000-character plate pattern is refused
// as bad input with a short message; names with SQL in them are stored as text through bound
// parameters, never executed.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/error.h"
#include "store/back_office.h"
#include "store/store_network.h"

using namespace alprsim;
namespace fs = std::filesystem;

namespace {
fs::path scratch(const std::string& name) {
    const fs::path dir = fs::current_path() / ("tmp-hardening-store-" + name);
    fs::remove_all(dir);
    return dir;
}

CameraRecord cameraOf(const std::string& agency, const std::string& id) {
    return CameraRecord{id, agency, "edge-" + id, 10.0, LatLon{42.3, -71.1}};
}

// Every value of one text column, read with the SQLite C API directly.
std::vector<std::string> column(const fs::path& db, const std::string& sql) {
    sqlite3* handle = nullptr;
    REQUIRE(sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(handle, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    std::vector<std::string> values;
    while (sqlite3_step(stmt) == SQLITE_ROW) values.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
    sqlite3_close(handle);
    return values;
}
}  // namespace

TEST_CASE("a 100,000-character plate pattern is bad input with a short message", "[hardening][hostile]") {
    const fs::path dir = scratch("pattern");
    StoreNetwork network = StoreNetwork::create(dir, StoreSettings{}, {cameraOf("Lowell", "c1")}, HotList{});
    BackOffice office(network, "Lowell");
    for (const std::string& pattern : {std::string(100'000, '*'), std::string(100'000, 'A'), "[" + std::string(99'999, 'B')}) {
        try {
            office.plateSearch(100.0, pattern, 0.0, 100.0);
            FAIL("a 100,000-character pattern was accepted");
        } catch (const InputError& e) {
            CHECK(std::string(e.what()).size() < 300);
            CHECK(std::string(e.what()).find("at most 64 characters") != std::string::npos);
            CHECK(std::string(e.what()).find("100000 characters") != std::string::npos);
        }
    }
    CHECK(office.plateSearch(100.0, "4A*", 0.0, 100.0).empty());  // an ordinary pattern still works
}

TEST_CASE("names with SQL in them are stored as text, not executed", "[hardening][escaping]") {
    const fs::path dir = scratch("sql");
    const std::string hostileId = "c1'); DROP TABLE reads; --\"<b>,";
    const std::string hostilePlate = "4AB'C1";
    {
        StoreNetwork network = StoreNetwork::create(dir, StoreSettings{}, {cameraOf("Lowell", hostileId)}, HotList{});
        network.record({Read{hostilePlate, 10.0, hostileId, LatLon{42.3, -71.1}, 0.9}}, {{"v1", hostilePlate}});
        BackOffice office(network, "Lowell");
        const auto found = office.plateSearch(100.0, "4AB*", 0.0, 100.0);  // the quote is data to GLOB, not syntax
        REQUIRE(found.size() == 1);
        CHECK(found[0].read.plate == hostilePlate);
        CHECK(found[0].read.camera == hostileId);
    }
    const fs::path store = dir / "agency-lowell.sqlite";
    REQUIRE(fs::exists(store));
    const auto tables = column(store, "SELECT name FROM sqlite_master WHERE type = 'table'");
    CHECK(std::count(tables.begin(), tables.end(), "cameras") == 1);  // nothing was dropped
    CHECK(column(store, "SELECT id FROM cameras") == std::vector<std::string>{hostileId});
}
