#pragma once
// Text placed inside HTML or XML (an element's text or a quoted attribute): the five characters
// markup gives meaning to, as entities. One escape for the report page and the SUMO files.
#include <string>
#include <string_view>

namespace alprsim {

inline std::string escapeMarkup(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace alprsim
