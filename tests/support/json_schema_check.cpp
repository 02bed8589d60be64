#include "tests/support/json_schema_check.h"

#include <set>
#include <stdexcept>

namespace alprsim::test {

using nlohmann::json;

namespace {

bool hasType(const json& doc, const std::string& type) {
    if (type == "object") return doc.is_object();
    if (type == "array") return doc.is_array();
    if (type == "string") return doc.is_string();
    if (type == "boolean") return doc.is_boolean();
    if (type == "null") return doc.is_null();
    if (type == "number") return doc.is_number();
    if (type == "integer")
        return doc.is_number_integer() ||
               (doc.is_number_float() && doc.get<double>() == static_cast<double>(static_cast<long long>(doc.get<double>())));
    throw std::invalid_argument("schema: unknown type " + type);
}

const std::set<std::string> kAnnotations = {"$schema", "$id", "$defs", "title", "description", "examples", "default"};
const std::set<std::string> kAssertions = {"type",    "enum",    "const",     "properties", "required", "additionalProperties",
                                           "minimum", "maximum", "minLength", "items",      "minItems", "maxItems",
                                           "allOf",   "anyOf",   "oneOf",     "not",        "if",       "then",
                                           "else",    "$ref"};

}  // namespace

SchemaChecker::SchemaChecker(json schema) : schema_(std::move(schema)) {}

const json& SchemaChecker::resolve(const json& s) const {
    if (!s.is_object() || !s.contains("$ref")) return s;
    const std::string ref = s["$ref"];
    if (ref.rfind("#/", 0) != 0) throw std::invalid_argument("schema: only local $ref supported: " + ref);
    return resolve(schema_.at(json::json_pointer(ref.substr(1))));
}

std::vector<std::string> SchemaChecker::violations(const json& doc) const {
    std::vector<std::string> out;
    check(schema_, doc, "", out);
    return out;
}

void SchemaChecker::check(const json& s, const json& doc, const std::string& at, std::vector<std::string>& out) const {
    for (const auto& [key, unused] : s.items())
        if (!kAnnotations.count(key) && !kAssertions.count(key))
            throw std::invalid_argument("schema: unsupported keyword " + key);
    auto fail = [&](const std::string& what) { out.push_back((at.empty() ? "/" : at) + ": " + what); };
    auto passes = [&](const json& sub) {
        std::vector<std::string> ignored;
        check(sub, doc, at, ignored);
        return ignored.empty();
    };

    if (s.contains("$ref")) check(resolve(s), doc, at, out);
    if (s.contains("type")) {
        bool any = false;
        if (s["type"].is_array()) {
            for (const auto& t : s["type"]) any = any || hasType(doc, t);
        } else {
            any = hasType(doc, s["type"]);
        }
        if (!any) return fail("expected type " + s["type"].dump() + ", got " + doc.dump());
    }
    if (s.contains("enum")) {
        bool found = false;
        for (const auto& v : s["enum"]) found = found || v == doc;
        if (!found) fail("expected one of " + s["enum"].dump());
    }
    if (s.contains("const") && s["const"] != doc) fail("expected " + s["const"].dump());
    if (doc.is_number()) {
        if (s.contains("minimum") && doc.get<double>() < s["minimum"].get<double>()) fail("below minimum " + s["minimum"].dump());
        if (s.contains("maximum") && doc.get<double>() > s["maximum"].get<double>()) fail("above maximum " + s["maximum"].dump());
    }
    if (doc.is_string() && s.contains("minLength") && doc.get<std::string>().size() < s["minLength"].get<size_t>())
        fail("shorter than " + s["minLength"].dump());
    if (doc.is_object()) {
        for (const auto& r : s.value("required", json::array()))
            if (!doc.contains(r.get<std::string>())) fail("missing required " + r.dump());
        const json props = s.value("properties", json::object());
        for (const auto& [key, value] : doc.items()) {
            if (props.contains(key)) {
                check(props[key], value, at + "/" + key, out);
            } else if (s.contains("additionalProperties") && s["additionalProperties"] == false) {
                fail("unknown property \"" + key + "\"");
            } else if (s.contains("additionalProperties") && s["additionalProperties"].is_object()) {
                check(s["additionalProperties"], value, at + "/" + key, out);
            }
        }
    }
    if (doc.is_array()) {
        if (s.contains("maxItems") && doc.size() > s["maxItems"].get<size_t>())
            fail("more than " + s["maxItems"].dump() + " items");
        if (s.contains("minItems") && doc.size() < s["minItems"].get<size_t>())
            fail("fewer than " + s["minItems"].dump() + " items");
        if (s.contains("items"))
            for (size_t i = 0; i < doc.size(); ++i) check(s["items"], doc[i], at + "/" + std::to_string(i), out);
    }
    for (const auto& sub : s.value("allOf", json::array())) check(sub, doc, at, out);
    if (s.contains("anyOf")) {
        bool any = false;
        for (const auto& sub : s["anyOf"]) any = any || passes(sub);
        if (!any) fail("matches none of anyOf");
    }
    if (s.contains("oneOf")) {
        int matches = 0;
        for (const auto& sub : s["oneOf"]) matches += passes(sub) ? 1 : 0;
        if (matches != 1) fail("matches " + std::to_string(matches) + " of oneOf, expected exactly 1");
    }
    if (s.contains("not") && passes(s["not"])) fail("matches a schema it must not: " + s["not"].dump());
    if (s.contains("if")) {
        if (passes(s["if"])) {
            if (s.contains("then")) check(s["then"], doc, at, out);
        } else if (s.contains("else")) {
            check(s["else"], doc, at, out);
        }
    }
}

const json* SchemaChecker::subschemaAt(const json::json_pointer& pointer) const {
    const json* s = &resolve(schema_);
    std::vector<std::string> tokens;
    for (json::json_pointer p = pointer; !p.empty(); p.pop_back()) tokens.insert(tokens.begin(), p.back());
    for (const std::string& token : tokens) {
        if (s->contains("properties") && (*s)["properties"].contains(token)) {
            s = &resolve((*s)["properties"][token]);
        } else if (s->contains("items") && !token.empty() && token.find_first_not_of("0123456789") == std::string::npos) {
            s = &resolve((*s)["items"]);
        } else {
            return nullptr;
        }
    }
    return s;
}

std::vector<std::string> SchemaChecker::propertyNames(const json& subschema) const {
    std::vector<std::string> names;
    const json properties = resolve(subschema).value("properties", json::object());
    for (const auto& [key, unused] : properties.items()) names.push_back(key);
    return names;
}

}  // namespace alprsim::test
