#include "store/sqlite.h"

#include <stdexcept>

#include "core/output_error.h"

namespace alprsim::sql {

namespace {
// SQLITE_FULL is a full disk or a file-size limit, SQLITE_IOERR a failed write: outputs that
// could not be written, not bugs, and reported as such.
bool isWriteFailure(int code) {
    const int primary = code & 0xff;
    return primary == SQLITE_FULL || primary == SQLITE_IOERR;
}

[[noreturn]] void fail(sqlite3* db, const std::string& what, const std::filesystem::path& file = {}) {
    const std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    if (db && isWriteFailure(sqlite3_extended_errcode(db)))
        throw OutputError(file.empty() ? std::string(sqlite3_db_filename(db, "main")) : file.string(), message);
    throw std::runtime_error("sqlite: " + what + ": " + message);
}
}  // namespace

namespace {
// SQLite's memory statistics cost a global mutex around every allocation (several a row
// inserted or read), and nothing here reads them; off before SQLite initialises.
const bool kMemoryStatisticsOff = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
}  // namespace

Database::Database(const std::filesystem::path& path, Mode mode) : path_(path) {
    // A connection is used by one thread at a time (handed over, as a ReadSink's is, never
    // shared), so SQLite need not lock it around each call.
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (mode) {
        case Mode::CreateNew:
            flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
            break;
        case Mode::OpenExisting:
            flags |= SQLITE_OPEN_READWRITE;
            break;
        case Mode::ReadOnly:
            flags |= SQLITE_OPEN_READONLY;
            break;
    }
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw std::runtime_error("sqlite: cannot open " + path.string() + ": " + msg);
    }
    sqlite3_busy_timeout(db_, 5000);
}

Database::~Database() {
    if (db_) sqlite3_close_v2(db_);
}

Database::Database(Database&& other) noexcept : db_(other.db_), path_(std::move(other.path_)) { other.db_ = nullptr; }

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        if (db_) sqlite3_close_v2(db_);
        db_ = other.db_;
        path_ = std::move(other.path_);
        other.db_ = nullptr;
    }
    return *this;
}

void Database::exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        if (isWriteFailure(sqlite3_extended_errcode(db_))) throw OutputError(path_.string(), msg);
        throw std::runtime_error("sqlite: " + path_.string() + ": " + msg + " in: " + sql.substr(0, 80));
    }
}

Statement::Statement(const Database& db, const std::string& sql) : db_(db.handle()) {
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) fail(db_, "prepare " + sql.substr(0, 80));
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, const std::string& value) {
    if (sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT) != SQLITE_OK)
        fail(db_, "bind text");
    return *this;
}

Statement& Statement::bind(int index, double value) {
    if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK) fail(db_, "bind real");
    return *this;
}

Statement& Statement::bind(int index, int64_t value) {
    if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) fail(db_, "bind integer");
    return *this;
}

Statement& Statement::bindNull(int index) {
    if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) fail(db_, "bind null");
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(db_, "step");
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::string Statement::text(int column) const {
    const auto* p = sqlite3_column_text(stmt_, column);
    return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, column)) : std::string();
}

double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }
int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }
bool Statement::isNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
    if (!done_) {
        try {
            db_.exec("ROLLBACK");
        } catch (...) {}
    }
}

void Transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

}  // namespace alprsim::sql
