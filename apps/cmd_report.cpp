// alprsim report RUN_OR_SWEEP_DIR... --out FILE: the page a select board reads (self-contained
// HTML with a map and charts), or the same numbers as CSV or JSON for researchers.
#include <cstdio>
#include <memory>

#include "apps/commands.h"
#include "core/error.h"
#include "core/files.h"
#include "report/report_html.h"
#include "report/report_inputs.h"
#include "report/report_model.h"

namespace alprsim::cli {

namespace {
struct ReportArgs {
    std::vector<std::string> dirs;
    std::string out;
    std::string format;  // empty: from --out's extension
};

std::string renderReport(const report::ReportModel& model, const std::string& format) {
    if (format == "csv") return report::reportCsv(model);
    if (format == "json") return report::reportBundle(model).dump(2) + "\n";
    return report::renderReportHtml(model, report::loadLibraryAssets());
}
}  // namespace

std::string reportFormatFor(const fs::path& out, const std::string& explicitFormat) {
    if (!explicitFormat.empty()) return explicitFormat;
    std::string ext = out.extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".csv") return "csv";
    if (ext == ".json") return "json";
    return "html";
}

size_t writeReport(const std::vector<fs::path>& dirs, const fs::path& out, const std::string& format) {
    const report::ReportModel model = report::buildReportModel(report::loadReportInputs(dirs));
    writeFileAtomically(out, renderReport(model, format));
    return model.runs.size();
}

void addReportCommand(CLI::App& app) {
    auto args = std::make_shared<ReportArgs>();
    CLI::App* cmd =
        app.add_subcommand("report", "Compare runs in one self-contained page (map, charts, plain words), or as CSV/JSON");
    cmd->add_option("dirs", args->dirs, "Run directories (from alprsim run) and sweep directories (with runs/)")->required();
    cmd->add_option(
           "-o,--out", args->out,
           "Output file: report.html (the page), or .csv / .json (the format follows the extension); its folder is created")
        ->required();
    cmd->add_option("--format", args->format,
                    "html: the page; csv: one row per run, metric, view and retention; json: the numbers and chart data "
                    "(default: from --out's extension, else html)")
        ->check(CLI::IsMember({"html", "csv", "json"}));
    cmd->callback([args] {
        const std::vector<fs::path> dirs(args->dirs.begin(), args->dirs.end());
        const std::string format = reportFormatFor(args->out, args->format);
        const size_t runs = writeReport(dirs, args->out, format);
        std::printf("Report: %s (%zu run(s), %s)\n", args->out.c_str(), runs, format.c_str());
    });
}

}  // namespace alprsim::cli
