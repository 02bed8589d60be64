#include "recognition/char_cnn.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "recognition/char_classifier.h"
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

// The multiply-adds of the network are compiled twice, for AVX2 with FMA and for the baseline
// the build targets (plain x86-64, whose SSE2 runs them at a third of the speed), and chosen
// at run time by what the CPU supports.
#define ALPRSIM_INLINE inline __attribute__((always_inline))

// Positions are processed in blocks of kBlock (two AVX registers), four output channels at a
// time: the sums stay in registers while the kernel runs over the inputs.
constexpr int kBlock = 16;

// out[o][p] = b[o] + sum_j w[o][j] * col[j][p] (the im2col product of one layer): col and out
// hold rows of `stride` positions (a multiple of kBlock, zero padded); outChannels % 4 == 0.
template <bool Fma>
ALPRSIM_INLINE float madd(float a, float b, float c) {
    if constexpr (Fma)
        return __builtin_fmaf(a, b, c);
    else
        return a * b + c;
}

template <bool Fma>
ALPRSIM_INLINE void convolveBody(const float* w, const float* b, const float* col, int outChannels, int k, int stride,
                                 float* out) {
    for (int o = 0; o < outChannels; o += 4) {
        const float* w0 = w + static_cast<size_t>(o) * k;
        const float* w1 = w0 + k;
        const float* w2 = w1 + k;
        const float* w3 = w2 + k;
        for (int p0 = 0; p0 < stride; p0 += kBlock) {
            float a0[kBlock], a1[kBlock], a2[kBlock], a3[kBlock];
            for (int q = 0; q < kBlock; ++q) {
                a0[q] = b[o];
                a1[q] = b[o + 1];
                a2[q] = b[o + 2];
                a3[q] = b[o + 3];
            }
            for (int j = 0; j < k; ++j) {
                const float* c = col + static_cast<size_t>(j) * stride + p0;
                const float v0 = w0[j], v1 = w1[j], v2 = w2[j], v3 = w3[j];
                for (int q = 0; q < kBlock; ++q) {
                    a0[q] = madd<Fma>(v0, c[q], a0[q]);
                    a1[q] = madd<Fma>(v1, c[q], a1[q]);
                    a2[q] = madd<Fma>(v2, c[q], a2[q]);
                    a3[q] = madd<Fma>(v3, c[q], a3[q]);
                }
            }
            float* y = out + static_cast<size_t>(o) * stride + p0;
            for (int q = 0; q < kBlock; ++q) {
                y[q] = a0[q];
                y[q + stride] = a1[q];
                y[q + 2 * stride] = a2[q];
                y[q + 3 * stride] = a3[q];
            }
        }
    }
}

// y = b + x W, W stored inputs x outputs (transposed from PyTorch's), so that the inner loop
// runs along the outputs.
template <bool Fma>
ALPRSIM_INLINE void denseBody(const float* wt, const float* b, const float* x, int in, int outCount, float* y) {
    for (int o = 0; o < outCount; ++o) y[o] = b[o];
    for (int i = 0; i < in; ++i) {
        const float a = x[i];
        if (a == 0.0f) continue;  // after a ReLU, often
        const float* wi = wt + static_cast<size_t>(i) * outCount;
        for (int o = 0; o < outCount; ++o) y[o] = madd<Fma>(a, wi[o], y[o]);
    }
}

#if defined(__GNUC__) && defined(__x86_64__)
__attribute__((target("avx2,fma"))) void convolveAvx2(const float* w, const float* b, const float* col, int outChannels, int k,
                                                      int stride, float* out) {
    convolveBody<true>(w, b, col, outChannels, k, stride, out);
}
__attribute__((target("avx2,fma"))) void denseAvx2(const float* wt, const float* b, const float* x, int in, int outCount,
                                                   float* y) {
    denseBody<true>(wt, b, x, in, outCount, y);
}
bool haveAvx2() {
    static const bool have = [] {
        __builtin_cpu_init();  // may run before libgcc's own initialisation otherwise
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }();
    return have;
}
#else
bool haveAvx2() { return false; }
#endif

void convolve(const float* w, const float* b, const float* col, int outChannels, int k, int stride, float* out) {
#if defined(__GNUC__) && defined(__x86_64__)
    if (haveAvx2()) return convolveAvx2(w, b, col, outChannels, k, stride, out);
#endif
    convolveBody<false>(w, b, col, outChannels, k, stride, out);
}

void dense(const float* wt, const float* b, const float* x, int in, int outCount, float* y) {
#if defined(__GNUC__) && defined(__x86_64__)
    if (haveAvx2()) return denseAvx2(wt, b, x, in, outCount, y);
#endif
    denseBody<false>(wt, b, x, in, outCount, y);
}

}  // namespace

CharCnn CharCnn::load(const std::filesystem::path& path) {
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
        Conv c;
        c.w = floats(root, path, "conv" + std::to_string(l) + "_w");
        c.b = floats(root, path, "conv" + std::to_string(l) + "_b");
        c.in = channels;
        c.out = static_cast<int>(c.b.size());
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
        // Stored transposed, inputs x outputs (dense()).
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
    int channels = 1, h = kGlyphHeight, w = kGlyphWidth;
    std::vector<float> x(static_cast<size_t>(h) * w), col, y;
    for (int r = 0; r < h; ++r) {
        const uchar* p = glyph.ptr<uchar>(r);
        for (int c = 0; c < w; ++c) x[static_cast<size_t>(r) * w + c] = p[c] * inputScale_ + inputShift_;
    }
    for (const Conv& conv : convs_) {
        // im2col: row (ci, ky, kx) holds input channel ci shifted by (ky-1, kx-1), zero padded.
        const int n = h * w, stride = (n + kBlock - 1) / kBlock * kBlock;
        col.assign(static_cast<size_t>(channels) * 9 * stride, 0.0f);
        for (int ci = 0; ci < channels; ++ci) {
            const float* in = x.data() + static_cast<size_t>(ci) * n;
            for (int ky = 0; ky < 3; ++ky) {
                for (int kx = 0; kx < 3; ++kx) {
                    float* dst = col.data() + (static_cast<size_t>(ci) * 9 + ky * 3 + kx) * stride;
                    const int dy = ky - 1, dx = kx - 1;
                    const int c0 = std::max(0, -dx), c1 = std::min(w, w - dx);
                    for (int r = std::max(0, -dy); r < std::min(h, h - dy); ++r) {
                        std::copy(in + (r + dy) * w + c0 + dx, in + (r + dy) * w + c1 + dx, dst + r * w + c0);
                    }
                }
            }
        }
        y.resize(static_cast<size_t>(conv.out) * stride);
        convolve(conv.w.data(), conv.b.data(), col.data(), conv.out, channels * 9, stride, y.data());
        // ReLU and 2x2 max pooling (rows and columns beyond an even count dropped).
        const int ph = h / 2, pw = w / 2;
        x.resize(static_cast<size_t>(conv.out) * ph * pw);
        for (int o = 0; o < conv.out; ++o) {
            const float* src = y.data() + static_cast<size_t>(o) * stride;
            float* dst = x.data() + static_cast<size_t>(o) * ph * pw;
            for (int r = 0; r < ph; ++r) {
                for (int c = 0; c < pw; ++c) {
                    const float* a = src + (2 * r) * w + 2 * c;
                    dst[r * pw + c] = std::max({0.0f, a[0], a[1], a[w], a[w + 1]});
                }
            }
        }
        channels = conv.out;
        h = ph;
        w = pw;
    }
    for (size_t l = 0; l < dense_.size(); ++l) {
        const Dense& d = dense_[l];
        y.resize(static_cast<size_t>(d.out));
        dense(d.w.data(), d.b.data(), x.data(), d.in, d.out, y.data());
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
