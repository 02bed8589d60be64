#pragma once
// The page: one self-contained HTML file (libraries, styles and data inline) with the plain-words
// findings, a comparison table, the map, the charts and the method. Every text that comes from
// a file is escaped; the same inputs give the same bytes.
#include <string>

#include "report/report_assets.h"
#include "report/report_model.h"

namespace alprsim::report {

// The page's body (headings, findings, table, placeholders for map and charts, method).
std::string renderBody(const ReportModel& model, const std::string& libraryVersions);

// The whole page: template + libraries + body + data.
std::string renderReportHtml(const ReportModel& model, const LibraryAssets& assets);

// One sentence per run in plain words, from the numbers present (HTML, escaped).
std::string findingHtml(const RunFacts& run);

}  // namespace alprsim::report
