#pragma once
// Text placed inside HTML or XML (an element's text or a quoted attribute): the five characters
// markup gives meaning to, as entities. One escape for the report page and the SUMO files.
#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace alprsim {

// `text` with each character that has a replacement replaced by it.
inline std::string replaceChars(std::string_view text, std::initializer_list<std::pair<char, std::string_view>> replacements) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        const auto r = std::find_if(replacements.begin(), replacements.end(), [c](const auto& r) { return r.first == c; });
        if (r == replacements.end())
            out += c;
        else
            out += r->second;
    }
    return out;
}

inline std::string escapeMarkup(std::string_view text) {
    return replaceChars(text, {{'&', "&amp;"}, {'<', "&lt;"}, {'>', "&gt;"}, {'"', "&quot;"}, {'\'', "&#39;"}});
}

}  // namespace alprsim
