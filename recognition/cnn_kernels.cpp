#include "recognition/cnn_kernels.h"

#include "core/error.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#endif

namespace alprsim::recognition::cnn {
namespace {

// The multiply-adds of the networks are compiled for AVX-512, for AVX2 with FMA and for the
// baseline the build targets (plain x86-64, whose SSE2 runs them at a third of the speed), and
// chosen at run time by what the CPU supports.
#define ALPRSIM_INLINE inline __attribute__((always_inline))

template <bool Fma>
ALPRSIM_INLINE float madd(float a, float b, float c) {
    if constexpr (Fma)
        return __builtin_fmaf(a, b, c);
    else
        return a * b + c;
}

// The product of every kernel: out[o * outStride + p] = b[o] + sum_j w[o][j] * rows[j][p] for
// p < positions (a multiple of kBlock), j in order. rows[j] is the j-th row of inputs: an im2col
// row, or a padded input plane shifted by the j-th tap (convolvePadded).
//
// Plain version: positions in blocks of kBlock, four output channels at a time.
template <bool Fma>
ALPRSIM_INLINE void convolveBody(const float* w, const float* b, const float* const* rows, int outChannels, int k, int positions,
                                 float* out, int outStride) {
    for (int o = 0; o < outChannels; o += 4) {
        const float* w0 = w + static_cast<size_t>(o) * k;
        const float* w1 = w0 + k;
        const float* w2 = w1 + k;
        const float* w3 = w2 + k;
        for (int p0 = 0; p0 < positions; p0 += kBlock) {
            float a0[kBlock], a1[kBlock], a2[kBlock], a3[kBlock];
            for (int q = 0; q < kBlock; ++q) {
                a0[q] = b[o];
                a1[q] = b[o + 1];
                a2[q] = b[o + 2];
                a3[q] = b[o + 3];
            }
            for (int j = 0; j < k; ++j) {
                const float* c = rows[j] + p0;
                const float v0 = w0[j], v1 = w1[j], v2 = w2[j], v3 = w3[j];
                for (int q = 0; q < kBlock; ++q) {
                    a0[q] = madd<Fma>(v0, c[q], a0[q]);
                    a1[q] = madd<Fma>(v1, c[q], a1[q]);
                    a2[q] = madd<Fma>(v2, c[q], a2[q]);
                    a3[q] = madd<Fma>(v3, c[q], a3[q]);
                }
            }
            float* y = out + static_cast<size_t>(o) * outStride + p0;
            for (int q = 0; q < kBlock; ++q) {
                y[q] = a0[q];
                y[q + outStride] = a1[q];
                y[q + 2 * outStride] = a2[q];
                y[q + 3 * outStride] = a3[q];
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
// convolveBody<true> written with intrinsics: the same fused multiply-adds in the same order
// (so the same bits), with the eight sums held in registers (the compiler's own vectorisation
// of convolveBody spilled them to the stack, at half the speed). A block of positions at a
// time across all the outputs: its inputs stay in the first-level cache while the weights
// stream past.
__attribute__((target("avx2,fma"))) void convolveAvx2(const float* w, const float* b, const float* const* rows, int outChannels,
                                                      int k, int positions, float* out, int outStride) {
    static_assert(kBlock == 16, "two AVX registers of positions");
    for (int p0 = 0; p0 < positions; p0 += kBlock) {
        for (int o = 0; o < outChannels; o += 4) {
            const float* w0 = w + static_cast<size_t>(o) * k;
            const float* w1 = w0 + k;
            const float* w2 = w1 + k;
            const float* w3 = w2 + k;
            __m256 a0l = _mm256_set1_ps(b[o]), a0h = a0l;
            __m256 a1l = _mm256_set1_ps(b[o + 1]), a1h = a1l;
            __m256 a2l = _mm256_set1_ps(b[o + 2]), a2h = a2l;
            __m256 a3l = _mm256_set1_ps(b[o + 3]), a3h = a3l;
            for (int j = 0; j < k; ++j) {
                const float* c = rows[j] + p0;
                const __m256 cl = _mm256_loadu_ps(c), ch = _mm256_loadu_ps(c + 8);
                __m256 v = _mm256_broadcast_ss(w0 + j);
                a0l = _mm256_fmadd_ps(v, cl, a0l);
                a0h = _mm256_fmadd_ps(v, ch, a0h);
                v = _mm256_broadcast_ss(w1 + j);
                a1l = _mm256_fmadd_ps(v, cl, a1l);
                a1h = _mm256_fmadd_ps(v, ch, a1h);
                v = _mm256_broadcast_ss(w2 + j);
                a2l = _mm256_fmadd_ps(v, cl, a2l);
                a2h = _mm256_fmadd_ps(v, ch, a2h);
                v = _mm256_broadcast_ss(w3 + j);
                a3l = _mm256_fmadd_ps(v, cl, a3l);
                a3h = _mm256_fmadd_ps(v, ch, a3h);
            }
            float* y = out + static_cast<size_t>(o) * outStride + p0;
            _mm256_storeu_ps(y, a0l);
            _mm256_storeu_ps(y + 8, a0h);
            _mm256_storeu_ps(y + outStride, a1l);
            _mm256_storeu_ps(y + outStride + 8, a1h);
            _mm256_storeu_ps(y + 2 * outStride, a2l);
            _mm256_storeu_ps(y + 2 * outStride + 8, a2h);
            _mm256_storeu_ps(y + 3 * outStride, a3l);
            _mm256_storeu_ps(y + 3 * outStride + 8, a3h);
        }
    }
}

__attribute__((target("avx2,fma"))) void denseAvx2(const float* wt, const float* b, const float* x, int in, int outCount,
                                                   float* y) {
    denseBody<true>(wt, b, x, in, outCount, y);
}

// The same product with AVX-512: eight output channels at a time (four for a remainder) over
// two registers of positions (one for a remainder), the sums in registers. Each output's fused
// multiply-adds are those of the AVX2 kernel in the same order: the same bits on either machine.
template <int Channels, int Registers>
__attribute__((target("avx512f"), always_inline)) inline void convolveBlock512(const float* w, const float* b,
                                                                               const float* const* rows, int p0, int k,
                                                                               int outStride, float* y) {
    __m512 a[Channels][Registers];
    for (int i = 0; i < Channels; ++i) {
        for (int r = 0; r < Registers; ++r) a[i][r] = _mm512_set1_ps(b[i]);
    }
    for (int j = 0; j < k; ++j) {
        const float* c = rows[j] + p0;
        __m512 x[Registers];
        for (int r = 0; r < Registers; ++r) x[r] = _mm512_loadu_ps(c + 16 * r);
        for (int i = 0; i < Channels; ++i) {
            const __m512 v = _mm512_set1_ps(w[static_cast<size_t>(i) * k + j]);
            for (int r = 0; r < Registers; ++r) a[i][r] = _mm512_fmadd_ps(v, x[r], a[i][r]);
        }
    }
    for (int i = 0; i < Channels; ++i) {
        for (int r = 0; r < Registers; ++r) _mm512_storeu_ps(y + static_cast<size_t>(i) * outStride + p0 + 16 * r, a[i][r]);
    }
}

template <int Registers>
__attribute__((target("avx512f"), always_inline)) inline void convolveColumns512(const float* w, const float* b,
                                                                                 const float* const* rows, int p0,
                                                                                 int outChannels, int k, int outStride,
                                                                                 float* out) {
    int o = 0;
    for (; o + 8 <= outChannels; o += 8)
        convolveBlock512<8, Registers>(w + static_cast<size_t>(o) * k, b + o, rows, p0, k, outStride,
                                       out + static_cast<size_t>(o) * outStride);
    for (; o < outChannels; o += 4)
        convolveBlock512<4, Registers>(w + static_cast<size_t>(o) * k, b + o, rows, p0, k, outStride,
                                       out + static_cast<size_t>(o) * outStride);
}

__attribute__((target("avx512f"))) void convolveAvx512(const float* w, const float* b, const float* const* rows, int outChannels,
                                                       int k, int positions, float* out, int outStride) {
    static_assert(kBlock == 16, "one AVX-512 register of positions");
    int p0 = 0;
    for (; p0 + 2 * kBlock <= positions; p0 += 2 * kBlock) convolveColumns512<2>(w, b, rows, p0, outChannels, k, outStride, out);
    if (p0 < positions) convolveColumns512<1>(w, b, rows, p0, outChannels, k, outStride, out);
}

// denseBody<true> with AVX-512: up to 64 outputs at a time in registers (a masked remainder),
// each output's fused multiply-adds in denseBody's order: the AVX2 version's bits.
__attribute__((target("avx512f"))) void denseAvx512(const float* wt, const float* b, const float* x, int in, int outCount,
                                                    float* y) {
    for (int o0 = 0; o0 < outCount; o0 += 64) {
        __mmask16 mask[4];
        __m512 acc[4];
        for (int r = 0; r < 4; ++r) {
            const int left = std::clamp(outCount - o0 - 16 * r, 0, 16);
            mask[r] = static_cast<__mmask16>((1u << left) - 1);
            acc[r] = _mm512_maskz_loadu_ps(mask[r], b + o0 + 16 * r);
        }
        for (int i = 0; i < in; ++i) {
            const float a = x[i];
            if (a == 0.0f) continue;  // after a ReLU, often
            const __m512 v = _mm512_set1_ps(a);
            const float* wi = wt + static_cast<size_t>(i) * outCount + o0;
            for (int r = 0; r < 4; ++r) {
                if (mask[r]) acc[r] = _mm512_fmadd_ps(v, _mm512_maskz_loadu_ps(mask[r], wi + 16 * r), acc[r]);
            }
        }
        for (int r = 0; r < 4; ++r) _mm512_mask_storeu_ps(y + o0 + 16 * r, mask[r], acc[r]);
    }
}

bool haveAvx512() {
    static const bool have = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f");
    }();
    return have;
}

bool haveAvx2() {
    static const bool have = [] {
        __builtin_cpu_init();  // may run before libgcc's own initialisation otherwise
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }();
    return have;
}
#else
bool haveAvx512() { return false; }
bool haveAvx2() { return false; }
#endif

Isa chosenIsa() {
    const char* env = std::getenv("ALPRSIM_CNN_ISA");
    if (env == nullptr || *env == '\0')
        return supports(Isa::Avx512) ? Isa::Avx512 : supports(Isa::Avx2) ? Isa::Avx2 : Isa::Baseline;
    const std::string name = env;
    const Isa asked = name == "avx512" ? Isa::Avx512 : name == "avx2" ? Isa::Avx2 : Isa::Baseline;
    if (asked == Isa::Baseline && name != "baseline")
        throw InputError("environment variable ALPRSIM_CNN_ISA=" + name, "", "avx512, avx2 or baseline");
    if (!supports(asked))
        throw InputError("environment variable ALPRSIM_CNN_ISA=" + name, "", "an instruction set this CPU has");
    return asked;
}

void convolveRows(Isa isa, const float* w, const float* b, const float* const* rows, int outChannels, int k, int positions,
                  float* out, int outStride) {
#if defined(__GNUC__) && defined(__x86_64__)
    if (isa == Isa::Avx512) return convolveAvx512(w, b, rows, outChannels, k, positions, out, outStride);
    if (isa == Isa::Avx2) return convolveAvx2(w, b, rows, outChannels, k, positions, out, outStride);
#endif
    convolveBody<false>(w, b, rows, outChannels, k, positions, out, outStride);
}

}  // namespace

Isa activeIsa() {
    static const Isa chosen = chosenIsa();
    return chosen;
}

bool supports(Isa isa) {
    switch (isa) {
        case Isa::Baseline:
            return true;
        case Isa::Avx2:
            return haveAvx2();
        case Isa::Avx512:
            return haveAvx512();
    }
    return false;
}

void convolveOn(Isa isa, const float* w, const float* b, const float* col, int outChannels, int k, int stride, float* out) {
    if (!supports(isa)) throw std::invalid_argument("cnn::convolveOn: this CPU cannot run the instruction set asked for");
    std::vector<const float*> rows(static_cast<size_t>(k));
    for (int j = 0; j < k; ++j) rows[static_cast<size_t>(j)] = col + static_cast<size_t>(j) * stride;
    convolveRows(isa, w, b, rows.data(), outChannels, k, stride, out, stride);
}

void ConvLayer::apply(std::vector<float>& x, int& height, int& width, std::vector<float>& padded, std::vector<float>& y) const {
    const int outH = height + padding.top + padding.bottom - kernelH + 1;
    const int outW = width + padding.left + padding.right - kernelW + 1;
    if (outH < poolH || outW < poolW) throw std::invalid_argument("cnn::ConvLayer: the input is smaller than the layer's window");
    const int pitch = padPlanes(x.data(), in, height, width, padding, kernelW, padded);
    const int stride = paddedPositions(outH * pitch);
    y.resize(static_cast<size_t>(outPadded) * stride);
    convolvePadded(w.data(), b.data(), padded.data(), in, height, pitch, padding, kernelH, kernelW, outPadded, y.data(), stride);
    height = outH / poolH;
    width = outW / poolW;
    x.resize(static_cast<size_t>(out) * height * width);
    reluMaxPool(y.data(), out, outH, outW, pitch, stride, poolH, poolW, relu, x.data());
}

int padPlanes(const float* in, int channels, int h, int w, const Padding& padding, int kernelW, std::vector<float>& padded) {
    const int pitch = w + padding.left + padding.right, rows = h + padding.top + padding.bottom;
    const size_t plane = static_cast<size_t>(rows) * pitch;
    padded.assign(channels * plane + static_cast<size_t>(kernelW + kBlock), 0.0f);
    for (int c = 0; c < channels; ++c) {
        for (int r = 0; r < h; ++r) {
            const float* src = in + (static_cast<size_t>(c) * h + r) * w;
            std::copy(src, src + w, padded.data() + c * plane + static_cast<size_t>(r + padding.top) * pitch + padding.left);
        }
    }
    return pitch;
}

void convolvePadded(const float* w, const float* b, const float* padded, int channels, int h, int pitch, const Padding& padding,
                    int kernelH, int kernelW, int outChannels, float* out, int outStride) {
    const size_t plane = static_cast<size_t>(h + padding.top + padding.bottom) * pitch;
    const int k = channels * kernelH * kernelW;
    thread_local std::vector<const float*> rows;
    rows.resize(static_cast<size_t>(k));
    for (int c = 0, j = 0; c < channels; ++c) {
        for (int ky = 0; ky < kernelH; ++ky) {
            for (int kx = 0; kx < kernelW; ++kx) rows[static_cast<size_t>(j++)] = padded + c * plane + ky * pitch + kx;
        }
    }
    convolveRows(activeIsa(), w, b, rows.data(), outChannels, k, outStride, out, outStride);
}

void denseOn(Isa isa, const float* wt, const float* b, const float* x, int in, int outCount, float* y) {
    if (!supports(isa)) throw std::invalid_argument("cnn::denseOn: this CPU cannot run the instruction set asked for");
#if defined(__GNUC__) && defined(__x86_64__)
    if (isa == Isa::Avx512) return denseAvx512(wt, b, x, in, outCount, y);
    if (isa == Isa::Avx2) return denseAvx2(wt, b, x, in, outCount, y);
#endif
    denseBody<false>(wt, b, x, in, outCount, y);
}

void dense(const float* wt, const float* b, const float* x, int in, int outCount, float* y) {
    denseOn(activeIsa(), wt, b, x, in, outCount, y);
}

namespace {

// reluMaxPool for one window size, known when compiled (the inner loops unrolled, vectorised).
template <int PoolH, int PoolW>
void reluMaxPoolOf(const float* y, int channels, int h, int w, int pitch, int stride, float floor, float* out) {
    const int ph = h / PoolH, pw = w / PoolW;
    for (int o = 0; o < channels; ++o) {
        const float* src = y + static_cast<size_t>(o) * stride;
        float* dst = out + static_cast<size_t>(o) * ph * pw;
        for (int r = 0; r < ph; ++r) {
            const float* top = src + PoolH * r * pitch;
            for (int c = 0; c < pw; ++c) {
                float m = floor;
                for (int a = 0; a < PoolH; ++a) {
                    for (int b = 0; b < PoolW; ++b) m = std::max(m, top[a * pitch + PoolW * c + b]);
                }
                dst[r * pw + c] = m;
            }
        }
    }
}

}  // namespace

void reluMaxPool(const float* y, int channels, int h, int w, int pitch, int stride, int poolH, int poolW, bool relu, float* out) {
    const float floor = relu ? 0.0f : -std::numeric_limits<float>::infinity();
    if (poolH == 1 && poolW == 1) return reluMaxPoolOf<1, 1>(y, channels, h, w, pitch, stride, floor, out);
    if (poolH == 2 && poolW == 1) return reluMaxPoolOf<2, 1>(y, channels, h, w, pitch, stride, floor, out);
    if (poolH == 2 && poolW == 2) return reluMaxPoolOf<2, 2>(y, channels, h, w, pitch, stride, floor, out);
    const int ph = h / poolH, pw = w / poolW;
    for (int o = 0; o < channels; ++o) {
        const float* src = y + static_cast<size_t>(o) * stride;
        float* dst = out + static_cast<size_t>(o) * ph * pw;
        for (int r = 0; r < ph; ++r) {
            for (int c = 0; c < pw; ++c) {
                float m = floor;
                for (int a = 0; a < poolH; ++a) {
                    const float* row = src + (poolH * r + a) * pitch + poolW * c;
                    for (int b = 0; b < poolW; ++b) m = std::max(m, row[b]);
                }
                dst[r * pw + c] = m;
            }
        }
    }
}

}  // namespace alprsim::recognition::cnn
