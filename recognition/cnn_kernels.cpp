#include "recognition/cnn_kernels.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#endif

namespace alprsim::recognition::cnn {
namespace {

// The multiply-adds of the network are compiled twice, for AVX2 with FMA and for the baseline
// the build targets (plain x86-64, whose SSE2 runs them at a third of the speed), and chosen
// at run time by what the CPU supports.
#define ALPRSIM_INLINE inline __attribute__((always_inline))

template <bool Fma>
ALPRSIM_INLINE float madd(float a, float b, float c) {
    if constexpr (Fma)
        return __builtin_fmaf(a, b, c);
    else
        return a * b + c;
}

// convolve(): positions in blocks of kBlock (two AVX registers), four output channels at a
// time: the sums stay in registers while the kernel runs over the inputs.
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
// convolveBody<true> written with intrinsics: the same fused multiply-adds in the same order
// (so the same bits), with the eight sums held in registers (the compiler's own vectorisation
// of convolveBody spilled them to the stack, at half the speed).
__attribute__((target("avx2,fma"))) void convolveAvx2(const float* w, const float* b, const float* col, int outChannels, int k,
                                                      int stride, float* out) {
    static_assert(kBlock == 16, "two AVX registers of positions");
    // A block of positions at a time across all the outputs: its k x kBlock inputs stay in the
    // first-level cache while the weights stream past.
    for (int p0 = 0; p0 < stride; p0 += kBlock) {
        for (int o = 0; o < outChannels; o += 4) {
            const float* w0 = w + static_cast<size_t>(o) * k;
            const float* w1 = w0 + k;
            const float* w2 = w1 + k;
            const float* w3 = w2 + k;
            __m256 a0l = _mm256_set1_ps(b[o]), a0h = a0l;
            __m256 a1l = _mm256_set1_ps(b[o + 1]), a1h = a1l;
            __m256 a2l = _mm256_set1_ps(b[o + 2]), a2h = a2l;
            __m256 a3l = _mm256_set1_ps(b[o + 3]), a3h = a3l;
            const float* c = col + p0;
            for (int j = 0; j < k; ++j, c += stride) {
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
            float* y = out + static_cast<size_t>(o) * stride + p0;
            _mm256_storeu_ps(y, a0l);
            _mm256_storeu_ps(y + 8, a0h);
            _mm256_storeu_ps(y + stride, a1l);
            _mm256_storeu_ps(y + stride + 8, a1h);
            _mm256_storeu_ps(y + 2 * stride, a2l);
            _mm256_storeu_ps(y + 2 * stride + 8, a2h);
            _mm256_storeu_ps(y + 3 * stride, a3l);
            _mm256_storeu_ps(y + 3 * stride + 8, a3h);
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
__attribute__((target("avx512f"), always_inline)) inline void convolveBlock512(const float* w, const float* b, const float* c,
                                                                             int k, int stride, float* y) {
    __m512 a[Channels][Registers];
    for (int i = 0; i < Channels; ++i) {
        for (int r = 0; r < Registers; ++r) a[i][r] = _mm512_set1_ps(b[i]);
    }
    for (int j = 0; j < k; ++j, c += stride) {
        __m512 x[Registers];
        for (int r = 0; r < Registers; ++r) x[r] = _mm512_loadu_ps(c + 16 * r);
        for (int i = 0; i < Channels; ++i) {
            const __m512 v = _mm512_set1_ps(w[static_cast<size_t>(i) * k + j]);
            for (int r = 0; r < Registers; ++r) a[i][r] = _mm512_fmadd_ps(v, x[r], a[i][r]);
        }
    }
    for (int i = 0; i < Channels; ++i) {
        for (int r = 0; r < Registers; ++r) _mm512_storeu_ps(y + static_cast<size_t>(i) * stride + 16 * r, a[i][r]);
    }
}

template <int Registers>
__attribute__((target("avx512f"), always_inline)) inline void convolveColumns512(const float* w, const float* b, const float* col,
                                                                               int outChannels, int k, int stride, float* out) {
    int o = 0;
    for (; o + 8 <= outChannels; o += 8)
        convolveBlock512<8, Registers>(w + static_cast<size_t>(o) * k, b + o, col, k, stride, out + static_cast<size_t>(o) * stride);
    for (; o < outChannels; o += 4)
        convolveBlock512<4, Registers>(w + static_cast<size_t>(o) * k, b + o, col, k, stride, out + static_cast<size_t>(o) * stride);
}

__attribute__((target("avx512f"))) void convolveAvx512(const float* w, const float* b, const float* col, int outChannels, int k,
                                                      int stride, float* out) {
    static_assert(kBlock == 16, "one AVX-512 register of positions");
    int p0 = 0;
    for (; p0 + 2 * kBlock <= stride; p0 += 2 * kBlock) convolveColumns512<2>(w, b, col + p0, outChannels, k, stride, out + p0);
    if (p0 < stride) convolveColumns512<1>(w, b, col + p0, outChannels, k, stride, out + p0);
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

}  // namespace

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
#if defined(__GNUC__) && defined(__x86_64__)
    if (isa == Isa::Avx512) return convolveAvx512(w, b, col, outChannels, k, stride, out);
    if (isa == Isa::Avx2) return convolveAvx2(w, b, col, outChannels, k, stride, out);
#endif
    convolveBody<false>(w, b, col, outChannels, k, stride, out);
}

void convolve(const float* w, const float* b, const float* col, int outChannels, int k, int stride, float* out) {
    static const Isa widest = supports(Isa::Avx512) ? Isa::Avx512 : supports(Isa::Avx2) ? Isa::Avx2 : Isa::Baseline;
    convolveOn(widest, w, b, col, outChannels, k, stride, out);
}

void dense(const float* wt, const float* b, const float* x, int in, int outCount, float* y) {
#if defined(__GNUC__) && defined(__x86_64__)
    if (haveAvx2()) return denseAvx2(wt, b, x, in, outCount, y);
#endif
    denseBody<false>(wt, b, x, in, outCount, y);
}

void im2col(const float* in, int channels, int h, int w, const Window& window, int outH, int outW, int stride, float* col) {
    for (int c = 0; c < channels; ++c) {
        const float* plane = in + static_cast<size_t>(c) * h * w;
        for (int ky = 0; ky < window.kernelH; ++ky) {
            for (int kx = 0; kx < window.kernelW; ++kx) {
                float* dst = col + (static_cast<size_t>(c * window.kernelH + ky) * window.kernelW + kx) * stride;
                const int dy = ky - window.padTop, dx = kx - window.padLeft;
                // Output columns [x0, x1) read input columns [x0 + dx, x1 + dx), inside the plane;
                // the rest of the row, rows off the plane and the padding to `stride` are zero.
                const int x0 = std::clamp(-dx, 0, outW), x1 = std::clamp(w - dx, x0, outW);
                for (int r = 0; r < outH; ++r, dst += outW) {
                    if (r + dy < 0 || r + dy >= h) {
                        std::fill(dst, dst + outW, 0.0f);
                        continue;
                    }
                    const float* src = plane + (r + dy) * w + dx;
                    std::fill(dst, dst + x0, 0.0f);
                    std::copy(src + x0, src + x1, dst + x0);
                    std::fill(dst + x1, dst + outW, 0.0f);
                }
                std::fill(dst, dst + (stride - outH * outW), 0.0f);
            }
        }
    }
}

namespace {

// reluMaxPool for one window size, known when compiled (the inner loops unrolled, vectorised).
template <int PoolH, int PoolW>
void reluMaxPoolOf(const float* y, int channels, int h, int w, int stride, float floor, float* out) {
    const int ph = h / PoolH, pw = w / PoolW;
    for (int o = 0; o < channels; ++o) {
        const float* src = y + static_cast<size_t>(o) * stride;
        float* dst = out + static_cast<size_t>(o) * ph * pw;
        for (int r = 0; r < ph; ++r) {
            const float* top = src + PoolH * r * w;
            for (int c = 0; c < pw; ++c) {
                float m = floor;
                for (int a = 0; a < PoolH; ++a) {
                    for (int b = 0; b < PoolW; ++b) m = std::max(m, top[a * w + PoolW * c + b]);
                }
                dst[r * pw + c] = m;
            }
        }
    }
}

}  // namespace

void reluMaxPool(const float* y, int channels, int h, int w, int stride, int poolH, int poolW, bool relu, float* out) {
    const float floor = relu ? 0.0f : -std::numeric_limits<float>::infinity();
    if (poolH == 1 && poolW == 1) return reluMaxPoolOf<1, 1>(y, channels, h, w, stride, floor, out);
    if (poolH == 2 && poolW == 1) return reluMaxPoolOf<2, 1>(y, channels, h, w, stride, floor, out);
    if (poolH == 2 && poolW == 2) return reluMaxPoolOf<2, 2>(y, channels, h, w, stride, floor, out);
    const int ph = h / poolH, pw = w / poolW;
    for (int o = 0; o < channels; ++o) {
        const float* src = y + static_cast<size_t>(o) * stride;
        float* dst = out + static_cast<size_t>(o) * ph * pw;
        for (int r = 0; r < ph; ++r) {
            for (int c = 0; c < pw; ++c) {
                float m = floor;
                for (int a = 0; a < poolH; ++a) {
                    const float* row = src + (poolH * r + a) * w + poolW * c;
                    for (int b = 0; b < poolW; ++b) m = std::max(m, row[b]);
                }
                dst[r * pw + c] = m;
            }
        }
    }
}

}  // namespace alprsim::recognition::cnn
