#include "recognition/char_cnn.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "recognition/char_classifier.h"
#include "recognition/cnn_kernels.h"
#include "recognition/segmentation.h"

namespace alprsim::recognition {
namespace {

std::vector<float> floats(const cv::FileNode& node, const std::filesystem::path& path, const std::string& name) {
    cv::Mat m;
    node[name] >> m;
    if (m.empty()) throw std::runtime_error("character CNN " + path.string() + ": no " + name);
    m.convertTo(m, CV_32F);
    m = m.reshape(1, 1);
    return std::vector<float>(m.begin<float>(), m.end<float>());
}

}  // namespace

CharCnn CharCnn::load(const std::filesystem::path& path) {
    cnn::activeIsa();  // a bad ALPRSIM_CNN_ISA is reported here, before any reading
    if (!std::filesystem::exists(path)) throw std::runtime_error("character CNN not found: " + path.string());
    cv::FileStorage fs(path.string(), cv::FileStorage::READ);
    if (!fs.isOpened()) throw std::runtime_error("cannot read character CNN: " + path.string());
    CharCnn net;
    const cv::FileNode root = fs.root();
    if (static_cast<int>(root["glyph_width"]) != kGlyphWidth || static_cast<int>(root["glyph_height"]) != kGlyphHeight ||
        static_cast<int>(root["classes"]) != kClassCount) {
        throw std::runtime_error("character CNN " + path.string() + " is for another glyph size or class count");
    }
    net.inputScale_ = static_cast<float>(static_cast<double>(root["input_scale"]));
    net.inputShift_ = static_cast<float>(static_cast<double>(root["input_shift"]));
    int channels = 1, h = kGlyphHeight, w = kGlyphWidth;
    const int convCount = static_cast<int>(root["conv_layers"]);
    for (int l = 0; l < convCount; ++l) {
        cnn::ConvLayer c;
        c.w = floats(root, path, "conv" + std::to_string(l) + "_w");
        c.b = floats(root, path, "conv" + std::to_string(l) + "_b");
        c.in = channels;
        c.out = c.outPadded = static_cast<int>(c.b.size());
        c.relu = true;
        c.poolH = c.poolW = 2;
        if (c.w.size() != static_cast<size_t>(c.out) * c.in * 9 || c.out % 4 != 0)
            throw std::runtime_error("character CNN " + path.string() + ": bad conv shape");
        channels = c.out;
        h /= 2;
        w /= 2;
        net.convs_.push_back(std::move(c));
    }
    int width = channels * h * w;
    const int denseCount = static_cast<int>(root["dense_layers"]);
    for (int l = 0; l < denseCount; ++l) {
        Dense d;
        d.w = floats(root, path, "dense" + std::to_string(l) + "_w");
        d.b = floats(root, path, "dense" + std::to_string(l) + "_b");
        d.in = width;
        d.out = static_cast<int>(d.b.size());
        if (d.w.size() != static_cast<size_t>(d.out) * d.in)
            throw std::runtime_error("character CNN " + path.string() + ": bad dense shape");
        // Stored transposed, inputs x outputs (cnn::dense).
        std::vector<float> t(d.w.size());
        for (int o = 0; o < d.out; ++o) {
            for (int i = 0; i < d.in; ++i) t[static_cast<size_t>(i) * d.out + o] = d.w[static_cast<size_t>(o) * d.in + i];
        }
        d.w.swap(t);
        width = d.out;
        net.dense_.push_back(std::move(d));
    }
    if (width != kClassCount) throw std::runtime_error("character CNN " + path.string() + ": wrong output count");
    return net;
}

void CharCnn::forward(const cv::Mat& glyph, float* result) const {
    CV_Assert(glyph.type() == CV_8U && glyph.cols == kGlyphWidth && glyph.rows == kGlyphHeight);
    int h = kGlyphHeight, w = kGlyphWidth;
    // Scratch kept by each thread: a glyph's forward allocates nothing once warm.
    thread_local std::vector<float> x, padded, y;
    x.resize(static_cast<size_t>(h) * w);
    for (int r = 0; r < h; ++r) {
        const uchar* p = glyph.ptr<uchar>(r);
        for (int c = 0; c < w; ++c) x[static_cast<size_t>(r) * w + c] = p[c] * inputScale_ + inputShift_;
    }
    for (const cnn::ConvLayer& conv : convs_) conv.apply(x, h, w, padded, y);
    for (size_t l = 0; l < dense_.size(); ++l) {
        const Dense& d = dense_[l];
        y.resize(static_cast<size_t>(d.out));
        cnn::dense(d.w.data(), d.b.data(), x.data(), d.in, d.out, y.data());
        if (l + 1 < dense_.size()) {
            for (float& v : y) v = std::max(0.0f, v);
        }
        x.swap(y);
    }
    std::copy(x.begin(), x.begin() + kClassCount, result);
}

cv::Mat CharCnn::logits(const std::vector<cv::Mat>& glyphs) const {
    cv::Mat out(static_cast<int>(glyphs.size()), kClassCount, CV_32F);
    for (size_t i = 0; i < glyphs.size(); ++i) forward(glyphs[i], out.ptr<float>(static_cast<int>(i)));
    return out;
}

cv::Mat CharCnn::probabilities(const std::vector<cv::Mat>& glyphs) const {
    const cv::Mat z = logits(glyphs);
    cv::Mat probs(z.size(), CV_64F);
    for (int r = 0; r < z.rows; ++r) {
        const float* o = z.ptr<float>(r);
        double* p = probs.ptr<double>(r);
        const double top = *std::max_element(o, o + z.cols);
        double sum = 0;
        for (int k = 0; k < z.cols; ++k) sum += p[k] = std::exp(double(o[k]) - top);
        for (int k = 0; k < z.cols; ++k) p[k] /= sum;
    }
    return probs;
}

}  // namespace alprsim::recognition
