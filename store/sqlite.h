#pragma once
// A thin RAII layer over the SQLite C API: a connection and prepared statements with bound
// parameters (never string-built SQL with data in it).
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace alprsim::sql {

class Database {
public:
    enum class Mode { CreateNew, OpenExisting, ReadOnly };
    Database(const std::filesystem::path& path, Mode mode);
    ~Database();
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(const std::string& sql);
    sqlite3* handle() const { return db_; }
    const std::filesystem::path& path() const { return path_; }

private:
    sqlite3* db_ = nullptr;
    std::filesystem::path path_;
};

class Statement {
public:
    Statement(const Database& db, const std::string& sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, const std::string& value);
    Statement& bind(int index, double value);
    Statement& bind(int index, int64_t value);
    Statement& bindNull(int index);
    Statement& bind(int index, std::optional<double> value) { return value ? bind(index, *value) : bindNull(index); }
    // True while there is a row; false when done. Throws on error.
    bool step();
    void reset();
    // For a statement that returns no rows (INSERT, UPDATE, DELETE): binds `values` to
    // parameters 1, 2, ..., runs it and resets it for the next call.
    template <class... Values>
    void run(const Values&... values) {
        int index = 0;
        (bind(++index, values), ...);
        step();
        reset();
    }

    std::string text(int column) const;
    double real(int column) const;
    int64_t integer(int column) const;
    bool isNull(int column) const;

private:
    sqlite3_stmt* stmt_ = nullptr;
    sqlite3* db_ = nullptr;
};

// Commits on commit(), rolls back if destroyed first.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    void commit();

private:
    Database& db_;
    bool done_ = false;
};

}  // namespace alprsim::sql
