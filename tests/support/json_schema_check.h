#pragma once
// A small JSON Schema (2020-12) checker for the keywords scenarios/schema uses, so tests can
// hold the schema and the C++ loader to the same documents without another dependency.
// Supported: type, enum, const, properties, required, additionalProperties (boolean),
// minimum, maximum, minLength, items, minItems, maxItems, allOf, anyOf, oneOf, not, if/then/else,
// and $ref to "#/$defs/NAME". Unknown keywords are an error, so the checker cannot silently
// pass a schema it does not understand.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace alprsim::test {

class SchemaChecker {
public:
    explicit SchemaChecker(nlohmann::json schema);

    // The violations of `doc`, each as "JSON pointer: what is wrong"; empty when it is valid.
    std::vector<std::string> violations(const nlohmann::json& doc) const;

    // The subschema for the object at `pointer` in `doc` (following properties, items and
    // $ref); null when the schema does not describe that place.
    const nlohmann::json* subschemaAt(const nlohmann::json::json_pointer& pointer) const;

    // The keys listed in a (sub)schema's "properties", after following $ref.
    std::vector<std::string> propertyNames(const nlohmann::json& subschema) const;

    const nlohmann::json& root() const { return schema_; }

private:
    const nlohmann::json& resolve(const nlohmann::json& s) const;
    void check(const nlohmann::json& s, const nlohmann::json& doc, const std::string& at, std::vector<std::string>& out) const;

    nlohmann::json schema_;
};

}  // namespace alprsim::test
