#include "recognition/tesseract_reader.h"

#include <tesseract/baseapi.h>

#include <opencv2/imgproc.hpp>

#include <stdexcept>

#include "recognition/segmentation.h"

namespace alprsim::recognition {

TesseractReader::TesseractReader(bool cropToCharacters)
    : api_(std::make_unique<tesseract::TessBaseAPI>()), cropToCharacters_(cropToCharacters) {
    if (api_->Init(nullptr, "eng", tesseract::OEM_LSTM_ONLY) != 0) {
        throw std::runtime_error("Tesseract could not load its English model (install tesseract-ocr-eng)");
    }
    api_->SetPageSegMode(tesseract::PSM_SINGLE_LINE);
    api_->SetVariable("tessedit_char_whitelist", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
    api_->SetVariable("debug_file", "/dev/null");
}

TesseractReader::~TesseractReader() {
    if (api_) api_->End();
}

PlateRead TesseractReader::read(const cv::Mat& crop) {
    cv::Mat grey;
    if (crop.channels() == 3)
        cv::cvtColor(crop, grey, cv::COLOR_BGR2GRAY);
    else
        grey = crop;
    bool lightOnDark = false;
    if (cropToCharacters_) {
        const std::vector<CharacterRow> rows = findCharacterRows(grey);
        const CharacterRow* best = nullptr;
        for (const CharacterRow& row : rows) {
            if (!best || row.boxes.size() * row.medianHeight > best->boxes.size() * best->medianHeight) best = &row;
        }
        if (best) {
            cv::Rect band = best->boxes.front();
            for (const cv::Rect& b : best->boxes) band |= b;
            const int pad = static_cast<int>(best->medianHeight * 0.12);
            band =
                cv::Rect(band.x - pad, band.y - pad, band.width + 2 * pad, band.height + 2 * pad) & cv::Rect({0, 0}, grey.size());
            grey = grey(band).clone();
            lightOnDark = best->lightOnDark;
        }
    }
    // Tesseract reads dark text on white, best at cap heights of 30 px or more.
    const double scale = std::max(1.0, 100.0 / grey.rows);
    cv::resize(grey, grey, {}, scale, scale, cv::INTER_CUBIC);
    if (lightOnDark) cv::bitwise_not(grey, grey);
    cv::Mat binary;
    cv::threshold(grey, binary, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    api_->SetImage(binary.data, binary.cols, binary.rows, 1, static_cast<int>(binary.step));
    std::unique_ptr<char[]> text(api_->GetUTF8Text());
    PlateRead out;
    for (const char* p = text.get(); p && *p; ++p) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) out.text += *p;
    }
    out.confidence = api_->MeanTextConf() / 100.0;
    out.charConfidence.assign(out.text.size(), out.confidence);
    out.noRead = out.text.size() < 2;
    if (out.noRead) out.text.clear();
    return out;
}

}  // namespace alprsim::recognition
