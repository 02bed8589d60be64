#include "recognition/jpeg_loss.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

// GCC notes that a function passing a 32-byte vector by value has another ABI with AVX than
// without; these all inline into roundTripBlocks and none is called across that line.
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

// A block is 8 vectors of 8 values: row r of the block, or in the passes value k of 8
// transforms at once (one per lane), so that each statement is one vector operation.
using Vec = int32_t __attribute__((vector_size(32)));
using FloatVec = float __attribute__((vector_size(32)));
using Bytes = uint8_t __attribute__((vector_size(8)));
using Block = std::array<Vec, 8>;

template <int kBits>
[[gnu::always_inline]] inline Vec descale(Vec x) {
    return (x + (int32_t{1} << (kBits - 1))) >> kBits;
}

// The forward DCT along the block's vectors (value k of each lane in v[k]). The first pass
// (rows) keeps kPass1Bits more bits, the second (columns) takes them off; the outputs are 8
// times the true DCT's.
template <bool kFirstPass>
[[gnu::always_inline]] inline Block forwardPass(const Block& v) {
    constexpr int kShift = kFirstPass ? kConstBits - kPass1Bits : kConstBits + kPass1Bits;
    const Vec tmp0 = v[0] + v[7], tmp7 = v[0] - v[7], tmp1 = v[1] + v[6], tmp6 = v[1] - v[6];
    const Vec tmp2 = v[2] + v[5], tmp5 = v[2] - v[5], tmp3 = v[3] + v[4], tmp4 = v[3] - v[4];
    const Vec tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
    Block out;
    if constexpr (kFirstPass) {
        out[0] = (tmp10 + tmp11) << kPass1Bits;
        out[4] = (tmp10 - tmp11) << kPass1Bits;
    } else {
        out[0] = descale<kPass1Bits>(tmp10 + tmp11);
        out[4] = descale<kPass1Bits>(tmp10 - tmp11);
    }
    const Vec even = (tmp12 + tmp13) * kFix0_541196100;
    out[2] = descale<kShift>(even + tmp13 * kFix0_765366865);
    out[6] = descale<kShift>(even - tmp12 * kFix1_847759065);
    const Vec z5 = (tmp4 + tmp6 + tmp5 + tmp7) * kFix1_175875602;
    const Vec z1 = (tmp4 + tmp7) * -kFix0_899976223, z2 = (tmp5 + tmp6) * -kFix2_562915447;
    const Vec z3 = z5 - (tmp4 + tmp6) * kFix1_961570560, z4 = z5 - (tmp5 + tmp7) * kFix0_390180644;
    out[7] = descale<kShift>(tmp4 * kFix0_298631336 + z1 + z3);
    out[5] = descale<kShift>(tmp5 * kFix2_053119869 + z2 + z4);
    out[3] = descale<kShift>(tmp6 * kFix3_072711026 + z2 + z3);
    out[1] = descale<kShift>(tmp7 * kFix1_501321110 + z1 + z4);
    return out;
}

// The inverse DCT along the block's vectors: the first pass (columns) keeps kPass1Bits more
// bits, the second (rows) takes them and the factor 8 off.
template <bool kFirstPass>
[[gnu::always_inline]] inline Block inversePass(const Block& v) {
    constexpr int kShift = kFirstPass ? kConstBits - kPass1Bits : kConstBits + kPass1Bits + 3;
    const Vec even = (v[2] + v[6]) * kFix0_541196100;
    const Vec e2 = even - v[6] * kFix1_847759065, e3 = even + v[2] * kFix0_765366865;
    const Vec e0 = (v[0] + v[4]) << kConstBits, e1 = (v[0] - v[4]) << kConstBits;
    const Vec tmp10 = e0 + e3, tmp13 = e0 - e3, tmp11 = e1 + e2, tmp12 = e1 - e2;
    const Vec z5 = (v[7] + v[3] + v[5] + v[1]) * kFix1_175875602;
    const Vec z1 = (v[7] + v[1]) * -kFix0_899976223, z2 = (v[5] + v[3]) * -kFix2_562915447;
    const Vec z3 = z5 - (v[7] + v[3]) * kFix1_961570560, z4 = z5 - (v[5] + v[1]) * kFix0_390180644;
    const Vec o0 = v[7] * kFix0_298631336 + z1 + z3, o1 = v[5] * kFix2_053119869 + z2 + z4;
    const Vec o2 = v[3] * kFix3_072711026 + z2 + z3, o3 = v[1] * kFix1_501321110 + z1 + z4;
    return {descale<kShift>(tmp10 + o3), descale<kShift>(tmp11 + o2), descale<kShift>(tmp12 + o1),
            descale<kShift>(tmp13 + o0), descale<kShift>(tmp13 - o0), descale<kShift>(tmp12 - o1),
            descale<kShift>(tmp11 - o2), descale<kShift>(tmp10 - o3)};
}

// Rows to columns: three rounds of interleaving (pairs, then pairs of pairs, then halves).
[[gnu::always_inline]] inline Block transpose(const Block& m) {
    Block a, b;
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
    Block out;
    for (int j = 0; j < 4; ++j) {
        out[j] = __builtin_shufflevector(b[j], b[j + 4], 0, 1, 2, 3, 8, 9, 10, 11);
        out[j + 4] = __builtin_shufflevector(b[j], b[j + 4], 4, 5, 6, 7, 12, 13, 14, 15);
    }
    return out;
}

// Coefficient c (8 times the true DCT's, as the forward pass leaves it) through quantisation by
// q and back: c / 8q rounded half away from zero, times q. In float: (|c| + 4q + 0.5) / 8q is
// at least 0.5 / 8q from a whole number and the float's error is under 2^-8 / 8q for
// |c| < 2^15, so the truncation is libjpeg's integer division.
struct Quantiser {
    std::array<FloatVec, 8> halfStepPlus;  // 4q + 0.5
    std::array<FloatVec, 8> inverseStep;   // 1 / 8q
    std::array<Vec, 8> step;               // q
    explicit Quantiser(const std::array<int, 64>& table) {
        for (size_t i = 0; i < 64; ++i) {
            const float q = static_cast<float>(table[i]);
            halfStepPlus[i / 8][i % 8] = 4.0f * q + 0.5f;
            inverseStep[i / 8][i % 8] = 1.0f / (8.0f * q);
            step[i / 8][i % 8] = table[i];
        }
    }
    // Row v of the coefficients (vertical frequency v, horizontal 0-7).
    [[gnu::always_inline]] Vec apply(Vec c, size_t v) const {
        const Vec sign = c >> 31;  // -1 where negative, else 0: x ^ sign - sign is |x|, or -|x| back
        const Vec magnitude =
            __builtin_convertvector((__builtin_convertvector((c ^ sign) - sign, FloatVec) + halfStepPlus[v]) * inverseStep[v], Vec);
        return ((magnitude ^ sign) - sign) * step[v];
    }
};

// The 8x8 block of grey at (x0, y0) through the round trip; past the image's right and bottom
// edges it is padded with copies of the last column and row, as libjpeg pads an image to whole
// blocks, and only the pixels inside the image are written back.
[[gnu::always_inline]] inline void roundTripBlock(cv::Mat& grey, int x0, int y0, const Quantiser& quantiser) {
    const int rows = std::min(8, grey.rows - y0), cols = std::min(8, grey.cols - x0);
    Block block;
    for (int r = 0; r < 8; ++r) {
        const uchar* row = grey.ptr<uchar>(y0 + std::min(r, rows - 1)) + x0;
        Bytes bytes;
        if (cols == 8) {
            std::memcpy(&bytes, row, 8);
        } else {
            for (int c = 0; c < 8; ++c) bytes[c] = row[std::min(c, cols - 1)];
        }
        block[static_cast<size_t>(r)] = __builtin_convertvector(bytes, Vec) - 128;
    }
    // Rows first, then columns, each way (as libjpeg: the rounding between passes depends on it).
    block = forwardPass<false>(transpose(forwardPass<true>(transpose(block))));
    for (size_t v = 0; v < 8; ++v) block[v] = quantiser.apply(block[v], v);  // block[v]: vertical frequency v
    block = transpose(inversePass<false>(transpose(inversePass<true>(block))));
    for (int r = 0; r < rows; ++r) {
        Vec sample = block[static_cast<size_t>(r)] + 128;
        sample &= ~(sample >> 31);          // negatives to 0
        sample |= (255 - sample) >> 31;     // over 255 to all ones: 255 in the low byte
        const Bytes bytes = __builtin_convertvector(sample & 255, Bytes);
        std::memcpy(grey.ptr<uchar>(y0 + r) + x0, &bytes, static_cast<size_t>(cols));
    }
}

__attribute__((target_clones("avx2", "default"))) void roundTripBlocks(cv::Mat& grey, const Quantiser& quantiser) {
    for (int y0 = 0; y0 < grey.rows; y0 += 8)
        for (int x0 = 0; x0 < grey.cols; x0 += 8) roundTripBlock(grey, x0, y0, quantiser);
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

void jpegRoundTrip(cv::Mat& grey, int quality) {
    if (grey.type() != CV_8UC1) throw std::invalid_argument("jpegRoundTrip: a grey image (CV_8UC1) is needed");
    const Quantiser quantiser(jpegLuminanceTable(quality));
    roundTripBlocks(grey, quantiser);
}

}  // namespace alprsim::recognition
