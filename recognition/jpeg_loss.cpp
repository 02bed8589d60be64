#include "recognition/jpeg_loss.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

// GCC warns that a function returning a 32- or 64-byte vector has another ABI with AVX or
// AVX-512 than without; these all inline into roundTripBlocks and roundTripBlockPairs, and
// none is called across that line.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

namespace alprsim::recognition {
namespace {

// The accurate integer DCT of libjpeg (jfdctint.c, jidctint.c): Loeffler, Ligtenberg and
// Moschytz's algorithm with 12 multiplications, constants in 13-bit fixed point, 2 more bits
// kept between the two passes. Integer arithmetic, so the same bits on any machine.
constexpr int kConstBits = 13;
constexpr int kPass1Bits = 2;
constexpr int32_t kFix0_298631336 = 2446;
constexpr int32_t kFix0_390180644 = 3196;
constexpr int32_t kFix0_541196100 = 4433;
constexpr int32_t kFix0_765366865 = 6270;
constexpr int32_t kFix0_899976223 = 7373;
constexpr int32_t kFix1_175875602 = 9633;
constexpr int32_t kFix1_501321110 = 12299;
constexpr int32_t kFix1_847759065 = 15137;
constexpr int32_t kFix1_961570560 = 16069;
constexpr int32_t kFix2_053119869 = 16819;
constexpr int32_t kFix2_562915447 = 20995;
constexpr int32_t kFix3_072711026 = 25172;

// The JPEG standard's luminance quantisation table (ITU-T T.81 Annex K.1), natural order.
constexpr std::array<int, 64> kStandardLuminance = {
    16, 11, 10, 16, 24,  40,  51,  61,  12, 12, 14, 19, 26,  58,  60,  55,  14, 13, 16, 24,  40,  57,
    69, 56, 14, 17, 22,  29,  51,  87,  80, 62, 18, 22, 37,  56,  68,  109, 103, 77, 24, 35, 55,  64,
    81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};

// A block is 8 vectors: row r of the block, or in the passes value k of each transform (one
// per lane), so that each statement is one vector operation. Vectors of 8 lanes hold one block;
// of 16 lanes (AVX-512), two blocks side by side (lanes 0-7 the left one), which every step
// below treats apart.
using Vec8 = int32_t __attribute__((vector_size(32)));
using Vec16 = int32_t __attribute__((vector_size(64)));
using Floats8 = float __attribute__((vector_size(32)));
using Floats16 = float __attribute__((vector_size(64)));
using Bytes8 = uint8_t __attribute__((vector_size(8)));
using Bytes16 = uint8_t __attribute__((vector_size(16)));
template <class V>
using Block = std::array<V, 8>;

template <int kBits, class V>
[[gnu::always_inline]] inline V descale(const V& x) {
    return (x + (int32_t{1} << (kBits - 1))) >> kBits;
}

// The forward DCT along the block's vectors (value k of each lane in v[k]). The first pass
// (rows) keeps kPass1Bits more bits, the second (columns) takes them off; the outputs are 8
// times the true DCT's.
template <bool kFirstPass, class V>
[[gnu::always_inline]] inline Block<V> forwardPass(const Block<V>& v) {
    constexpr int kShift = kFirstPass ? kConstBits - kPass1Bits : kConstBits + kPass1Bits;
    const V tmp0 = v[0] + v[7], tmp7 = v[0] - v[7], tmp1 = v[1] + v[6], tmp6 = v[1] - v[6];
    const V tmp2 = v[2] + v[5], tmp5 = v[2] - v[5], tmp3 = v[3] + v[4], tmp4 = v[3] - v[4];
    const V tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
    Block<V> out;
    if constexpr (kFirstPass) {
        out[0] = (tmp10 + tmp11) << kPass1Bits;
        out[4] = (tmp10 - tmp11) << kPass1Bits;
    } else {
        out[0] = descale<kPass1Bits>(tmp10 + tmp11);
        out[4] = descale<kPass1Bits>(tmp10 - tmp11);
    }
    const V even = (tmp12 + tmp13) * kFix0_541196100;
    out[2] = descale<kShift>(even + tmp13 * kFix0_765366865);
    out[6] = descale<kShift>(even - tmp12 * kFix1_847759065);
    const V z5 = (tmp4 + tmp6 + tmp5 + tmp7) * kFix1_175875602;
    const V z1 = (tmp4 + tmp7) * -kFix0_899976223, z2 = (tmp5 + tmp6) * -kFix2_562915447;
    const V z3 = z5 - (tmp4 + tmp6) * kFix1_961570560, z4 = z5 - (tmp5 + tmp7) * kFix0_390180644;
    out[7] = descale<kShift>(tmp4 * kFix0_298631336 + z1 + z3);
    out[5] = descale<kShift>(tmp5 * kFix2_053119869 + z2 + z4);
    out[3] = descale<kShift>(tmp6 * kFix3_072711026 + z2 + z3);
    out[1] = descale<kShift>(tmp7 * kFix1_501321110 + z1 + z4);
    return out;
}

// The inverse DCT along the block's vectors: the first pass (columns) keeps kPass1Bits more
// bits, the second (rows) takes them and the factor 8 off.
template <bool kFirstPass, class V>
[[gnu::always_inline]] inline Block<V> inversePass(const Block<V>& v) {
    constexpr int kShift = kFirstPass ? kConstBits - kPass1Bits : kConstBits + kPass1Bits + 3;
    const V even = (v[2] + v[6]) * kFix0_541196100;
    const V e2 = even - v[6] * kFix1_847759065, e3 = even + v[2] * kFix0_765366865;
    const V e0 = (v[0] + v[4]) << kConstBits, e1 = (v[0] - v[4]) << kConstBits;
    const V tmp10 = e0 + e3, tmp13 = e0 - e3, tmp11 = e1 + e2, tmp12 = e1 - e2;
    const V z5 = (v[7] + v[3] + v[5] + v[1]) * kFix1_175875602;
    const V z1 = (v[7] + v[1]) * -kFix0_899976223, z2 = (v[5] + v[3]) * -kFix2_562915447;
    const V z3 = z5 - (v[7] + v[3]) * kFix1_961570560, z4 = z5 - (v[5] + v[1]) * kFix0_390180644;
    const V o0 = v[7] * kFix0_298631336 + z1 + z3, o1 = v[5] * kFix2_053119869 + z2 + z4;
    const V o2 = v[3] * kFix3_072711026 + z2 + z3, o3 = v[1] * kFix1_501321110 + z1 + z4;
    return {descale<kShift>(tmp10 + o3), descale<kShift>(tmp11 + o2), descale<kShift>(tmp12 + o1),
            descale<kShift>(tmp13 + o0), descale<kShift>(tmp13 - o0), descale<kShift>(tmp12 - o1),
            descale<kShift>(tmp11 - o2), descale<kShift>(tmp10 - o3)};
}

// Rows to columns: three rounds of interleaving (pairs, then pairs of pairs, then halves); with
// 16 lanes, within each block's 8.
[[gnu::always_inline]] inline Block<Vec8> transpose(const Block<Vec8>& m) {
    Block<Vec8> a, b, out;
    for (int i = 0; i < 8; i += 2) {
        a[i] = __builtin_shufflevector(m[i], m[i + 1], 0, 8, 2, 10, 4, 12, 6, 14);
        a[i + 1] = __builtin_shufflevector(m[i], m[i + 1], 1, 9, 3, 11, 5, 13, 7, 15);
    }
    for (int i = 0; i < 8; i += 4) {
        for (int j = 0; j < 2; ++j) {
            b[i + j] = __builtin_shufflevector(a[i + j], a[i + j + 2], 0, 1, 8, 9, 4, 5, 12, 13);
            b[i + j + 2] = __builtin_shufflevector(a[i + j], a[i + j + 2], 2, 3, 10, 11, 6, 7, 14, 15);
        }
    }
    for (int j = 0; j < 4; ++j) {
        out[j] = __builtin_shufflevector(b[j], b[j + 4], 0, 1, 2, 3, 8, 9, 10, 11);
        out[j + 4] = __builtin_shufflevector(b[j], b[j + 4], 4, 5, 6, 7, 12, 13, 14, 15);
    }
    return out;
}

[[gnu::always_inline]] inline Block<Vec16> transpose(const Block<Vec16>& m) {
    Block<Vec16> a, b, out;
    for (int i = 0; i < 8; i += 2) {
        a[i] = __builtin_shufflevector(m[i], m[i + 1], 0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30);
        a[i + 1] = __builtin_shufflevector(m[i], m[i + 1], 1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31);
    }
    for (int i = 0; i < 8; i += 4) {
        for (int j = 0; j < 2; ++j) {
            b[i + j] = __builtin_shufflevector(a[i + j], a[i + j + 2], 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29);
            b[i + j + 2] =
                __builtin_shufflevector(a[i + j], a[i + j + 2], 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31);
        }
    }
    for (int j = 0; j < 4; ++j) {
        out[j] = __builtin_shufflevector(b[j], b[j + 4], 0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27);
        out[j + 4] = __builtin_shufflevector(b[j], b[j + 4], 4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31);
    }
    return out;
}

// Coefficient c (8 times the true DCT's, as the forward pass leaves it) through quantisation by
// q and back: c / 8q rounded half away from zero, times q. In float: (|c| + 4q + 0.5) / 8q is
// at least 0.5 / 8q from a whole number and the float's error is under 2^-8 / 8q for
// |c| < 2^15, so the truncation is libjpeg's integer division.
template <class V, class F>
struct Quantiser {
    static constexpr int kLanes = sizeof(V) / sizeof(int32_t);
    std::array<F, 8> halfStepPlus;  // 4q + 0.5
    std::array<F, 8> inverseStep;   // 1 / 8q
    std::array<V, 8> step;          // q
    explicit Quantiser(const std::array<int, 64>& table) {
        for (size_t i = 0; i < 64; ++i) {
            const float q = static_cast<float>(table[i]);
            for (size_t lane = i % 8; lane < kLanes; lane += 8) {  // the same table for each block of the vector
                halfStepPlus[i / 8][lane] = 4.0f * q + 0.5f;
                inverseStep[i / 8][lane] = 1.0f / (8.0f * q);
                step[i / 8][lane] = table[i];
            }
        }
    }
    // Row v of the coefficients (vertical frequency v, horizontal 0-7), in place.
    [[gnu::always_inline]] void apply(V& c, size_t v) const {
        const V sign = c >> 31;  // -1 where negative, else 0: x ^ sign - sign is |x|, or -|x| back
        const V magnitude =
            __builtin_convertvector((__builtin_convertvector((c ^ sign) - sign, F) + halfStepPlus[v]) * inverseStep[v], V);
        c = ((magnitude ^ sign) - sign) * step[v];
    }
};

// The blocks of grey at (x0, y0) (one or, with 16 lanes, two side by side) through the round
// trip; past the image's right and bottom edges they are padded with copies of the last column
// and row, as libjpeg pads an image to whole blocks, and only the pixels inside the image are
// written back.
template <class V, class F, class B>
[[gnu::always_inline]] inline void roundTripBlocksAt(cv::Mat& grey, int x0, int y0, const Quantiser<V, F>& quantiser) {
    constexpr int kLanes = Quantiser<V, F>::kLanes;
    const int rows = std::min(8, grey.rows - y0), cols = std::min(kLanes, grey.cols - x0);
    Block<V> block;
    for (int r = 0; r < 8; ++r) {
        const uchar* row = grey.ptr<uchar>(y0 + std::min(r, rows - 1)) + x0;
        B bytes;
        if (cols == kLanes) {
            std::memcpy(&bytes, row, kLanes);
        } else {
            for (int c = 0; c < kLanes; ++c) bytes[c] = row[std::min(c, cols - 1)];
        }
        block[static_cast<size_t>(r)] = __builtin_convertvector(bytes, V) - 128;
    }
    // Rows first, then columns, each way (as libjpeg: the rounding between passes depends on it).
    block = forwardPass<false>(transpose(forwardPass<true>(transpose(block))));
    for (size_t v = 0; v < 8; ++v) quantiser.apply(block[v], v);  // block[v]: vertical frequency v
    block = transpose(inversePass<false>(transpose(inversePass<true>(block))));
    for (int r = 0; r < rows; ++r) {
        V sample = block[static_cast<size_t>(r)] + 128;
        sample &= ~(sample >> 31);       // negatives to 0
        sample |= (255 - sample) >> 31;  // over 255 to all ones: 255 in the low byte
        const B bytes = __builtin_convertvector(sample & 255, B);
        std::memcpy(grey.ptr<uchar>(y0 + r) + x0, &bytes, static_cast<size_t>(cols));
    }
}

template <class V, class F, class B>
[[gnu::always_inline]] inline void roundTripAll(cv::Mat& grey, const std::array<int, 64>& table) {
    const Quantiser<V, F> quantiser(table);
    for (int y0 = 0; y0 < grey.rows; y0 += 8)
        for (int x0 = 0; x0 < grey.cols; x0 += Quantiser<V, F>::kLanes) roundTripBlocksAt<V, F, B>(grey, x0, y0, quantiser);
}

__attribute__((target_clones("avx2", "default"))) void roundTripBlocks(cv::Mat& grey, const std::array<int, 64>& table) {
    roundTripAll<Vec8, Floats8, Bytes8>(grey, table);
}

// Two blocks a vector: 1.x times as fast where AVX-512 is there.
__attribute__((target("avx512f"))) void roundTripBlockPairs(cv::Mat& grey, const std::array<int, 64>& table) {
    roundTripAll<Vec16, Floats16, Bytes16>(grey, table);
}

}  // namespace

std::array<int, 64> jpegLuminanceTable(int quality) {
    if (quality < 1 || quality > 100)
        throw std::invalid_argument("JPEG quality must be 1-100, not " + std::to_string(quality));
    // jpeg_set_quality: a percentage scaling of the standard table, then limited to 1-255.
    const int scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;
    std::array<int, 64> table{};
    for (size_t i = 0; i < table.size(); ++i) table[i] = std::clamp((kStandardLuminance[i] * scale + 50) / 100, 1, 255);
    return table;
}

void jpegRoundTrip(cv::Mat& grey, int quality, cnn::Isa widest) {
    if (grey.type() != CV_8UC1) throw std::invalid_argument("jpegRoundTrip: a grey image (CV_8UC1) is needed");
    const std::array<int, 64> table = jpegLuminanceTable(quality);
    if (widest == cnn::Isa::Avx512 && cnn::supports(cnn::Isa::Avx512))
        roundTripBlockPairs(grey, table);
    else
        roundTripBlocks(grey, table);
}

}  // namespace alprsim::recognition
