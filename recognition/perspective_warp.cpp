#include "recognition/perspective_warp.h"

#include <emmintrin.h>
#include <immintrin.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <cstdint>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace alprsim::recognition {
namespace {

// OpenCV's fixed-point bilinear interpolation (imgwarp.cpp): source positions in 1/32 of a pixel,
// weights scaled by 2^15.
constexpr int kInterBits = 5, kTabSize = 1 << kInterBits;
constexpr int kCoefBits = 15, kCoefScale = 1 << kCoefBits;

// The four weights (top-left, top-right, bottom-left, bottom-right) of each of the 32 x 32
// fractional positions, as OpenCV 4.6's initInterTab2D makes them: products of floats rounded to
// shorts; where they do not add up to 2^15, the excess is taken from the smallest (or given to the
// largest) of four entries it scans from the bottom-right weight on, which for a 2 x 2 kernel
// are that weight and the next position's first three, not yet filled in (zero): the excess
// lands on the bottom-right weight, or on the next position and is overwritten there.
using BilinearTable = std::array<std::array<int16_t, 4>, kTabSize * kTabSize>;

BilinearTable makeBilinearTable() {
    std::array<float, 2 * kTabSize> line{};
    const float step = 1.f / kTabSize;
    for (int i = 0; i < kTabSize; ++i) {
        const float x = static_cast<float>(i) * step;
        line[static_cast<size_t>(2 * i)] = 1.f - x;
        line[static_cast<size_t>(2 * i + 1)] = x;
    }
    std::vector<int16_t> flat(4 * (kTabSize * kTabSize + 1), 0);  // one position more, for the scan's reach
    for (int i = 0; i < kTabSize; ++i) {
        for (int j = 0; j < kTabSize; ++j) {
            int16_t* w = flat.data() + 4 * (i * kTabSize + j);
            int sum = 0;
            for (int k1 = 0; k1 < 2; ++k1) {
                for (int k2 = 0; k2 < 2; ++k2) {
                    const float v = line[static_cast<size_t>(2 * i + k1)] * line[static_cast<size_t>(2 * j + k2)];
                    sum += w[k1 * 2 + k2] = cv::saturate_cast<int16_t>(v * kCoefScale);
                }
            }
            if (sum == kCoefScale) continue;
            int smallest = 3, largest = 3;
            for (int k1 = 1; k1 < 3; ++k1) {
                for (int k2 = 1; k2 < 3; ++k2) {
                    const int k = k1 * 2 + k2;
                    if (w[k] < w[smallest])
                        smallest = k;
                    else if (w[k] > w[largest])
                        largest = k;
                }
            }
            const int excess = sum - kCoefScale;
            if (excess < 0)
                w[largest] = static_cast<int16_t>(w[largest] - excess);
            else
                w[smallest] = static_cast<int16_t>(w[smallest] - excess);
        }
    }
    BilinearTable table{};
    for (size_t p = 0; p < table.size(); ++p) std::copy_n(flat.begin() + static_cast<std::ptrdiff_t>(4 * p), 4, table[p].begin());
    return table;
}

const BilinearTable& bilinearTable() {
    static const BilinearTable table = makeBilinearTable();
    return table;
}

// Columns from..count of a block one at a time, as OpenCV's scalar loop computes them.
void blockTailPositions(const double* M, double X0, double Y0, double W0, int from, int count, int16_t* xy, uint16_t* fraction) {
    for (int x1 = from; x1 < count; ++x1) {
        double W = W0 + M[6] * x1;
        W = W != 0 ? kTabSize / W : 0;
        const double fX = std::max(static_cast<double>(INT_MIN), std::min(static_cast<double>(INT_MAX), (X0 + M[0] * x1) * W));
        const double fY = std::max(static_cast<double>(INT_MIN), std::min(static_cast<double>(INT_MAX), (Y0 + M[3] * x1) * W));
        const int X = cvRound(fX), Y = cvRound(fY);
        xy[2 * x1] = cv::saturate_cast<int16_t>(X >> kInterBits);
        xy[2 * x1 + 1] = cv::saturate_cast<int16_t>(Y >> kInterBits);
        fraction[x1] = static_cast<uint16_t>((Y & (kTabSize - 1)) * kTabSize + (X & (kTabSize - 1)));
    }
}

// The source positions of `count` output pixels of one block of WarpPerspectiveInvoker, whose
// first column's numerators and denominator are X0, Y0, W0: sixteen at a time in SSE2 doubles
// as OpenCV's SSE4.1 path computes them (WarpPerspectiveLine_SSE4_Impl::process), the rest one at
// a time as its scalar loop does.
void blockPositions(const double* M, double X0, double Y0, double W0, int count, int16_t* xy, uint16_t* fraction) {
    int x1 = 0;
    const __m128d m0 = _mm_set1_pd(M[0]), m3 = _mm_set1_pd(M[3]), m6 = _mm_set1_pd(M[6]);
    const __m128d intMax = _mm_set1_pd(static_cast<double>(INT_MAX)), intMin = _mm_set1_pd(static_cast<double>(INT_MIN));
    const __m128d tabSize = _mm_set1_pd(kTabSize), zero = _mm_setzero_pd(), two = _mm_set1_pd(2);
    const __m128d x0 = _mm_set1_pd(X0), y0 = _mm_set1_pd(Y0), w0 = _mm_set1_pd(W0);
    __m128d column = _mm_set_pd(1, 0);
    alignas(16) int32_t X[4], Y[4];
    for (; x1 <= count - 16; x1 += 16) {
        for (int pair = 0; pair < 8; pair += 2) {
            for (int half = 0; half < 2; ++half) {
                __m128d w = _mm_add_pd(_mm_mul_pd(m6, column), w0);
                w = _mm_andnot_pd(_mm_cmpeq_pd(w, zero), _mm_div_pd(tabSize, w));
                const __m128d fX = _mm_max_pd(intMin, _mm_min_pd(intMax, _mm_mul_pd(_mm_add_pd(x0, _mm_mul_pd(m0, column)), w)));
                const __m128d fY = _mm_max_pd(intMin, _mm_min_pd(intMax, _mm_mul_pd(_mm_add_pd(y0, _mm_mul_pd(m3, column)), w)));
                column = _mm_add_pd(column, two);
                _mm_storel_epi64(reinterpret_cast<__m128i*>(X + 2 * half), _mm_cvtpd_epi32(fX));
                _mm_storel_epi64(reinterpret_cast<__m128i*>(Y + 2 * half), _mm_cvtpd_epi32(fY));
            }
            for (int k = 0; k < 4; ++k) {
                const int at = x1 + 2 * pair + k;
                xy[2 * at] = cv::saturate_cast<int16_t>(X[k] >> kInterBits);
                xy[2 * at + 1] = cv::saturate_cast<int16_t>(Y[k] >> kInterBits);
                fraction[at] = cv::saturate_cast<int16_t>((Y[k] & (kTabSize - 1)) * kTabSize + (X[k] & (kTabSize - 1)));
            }
        }
    }
    blockTailPositions(M, X0, Y0, W0, x1, count, xy, fraction);
}

// The constants of blockPositionsAvx2.
struct PositionConstants {
    __m256d m0, m3, m6, x0, y0, w0;
};

// Four columns' source positions (in 1/32 pixel), as blockPositions computes them.
__attribute__((target("avx2"), always_inline)) inline void fourPositions(const PositionConstants& c, __m256d column, __m128i& X,
                                                                         __m128i& Y) {
    const __m256d intMax = _mm256_set1_pd(static_cast<double>(INT_MAX)), intMin = _mm256_set1_pd(static_cast<double>(INT_MIN));
    __m256d w = _mm256_add_pd(_mm256_mul_pd(c.m6, column), c.w0);
    w = _mm256_andnot_pd(_mm256_cmp_pd(w, _mm256_setzero_pd(), _CMP_EQ_OQ), _mm256_div_pd(_mm256_set1_pd(kTabSize), w));
    const __m256d fX =
        _mm256_max_pd(intMin, _mm256_min_pd(intMax, _mm256_mul_pd(_mm256_add_pd(c.x0, _mm256_mul_pd(c.m0, column)), w)));
    const __m256d fY =
        _mm256_max_pd(intMin, _mm256_min_pd(intMax, _mm256_mul_pd(_mm256_add_pd(c.y0, _mm256_mul_pd(c.m3, column)), w)));
    X = _mm256_cvtpd_epi32(fX);
    Y = _mm256_cvtpd_epi32(fY);
}

// blockPositions with AVX2: the same operations on four doubles at a time (no fused multiply-add,
// which would round differently), the same columns in vectors and one at a time.
__attribute__((target("avx2"))) void blockPositionsAvx2(const double* M, double X0, double Y0, double W0, int count, int16_t* xy,
                                                        uint16_t* fraction) {
    const PositionConstants c{_mm256_set1_pd(M[0]), _mm256_set1_pd(M[3]), _mm256_set1_pd(M[6]),
                              _mm256_set1_pd(X0),   _mm256_set1_pd(Y0),   _mm256_set1_pd(W0)};
    const __m256i shortMin = _mm256_set1_epi32(SHRT_MIN), shortMax = _mm256_set1_epi32(SHRT_MAX);
    const __m256i fractionMask = _mm256_set1_epi32(kTabSize - 1), lowHalf = _mm256_set1_epi32(0xffff);
    const int vectorEnd = count / 16 * 16;  // OpenCV's SSE4.1 path: sixteen columns a step
    int x1 = 0;
    for (; x1 < vectorEnd; x1 += 8) {
        const __m256d column = _mm256_add_pd(_mm256_set1_pd(x1), _mm256_setr_pd(0, 1, 2, 3));
        __m128i xLow, yLow, xHigh, yHigh;
        fourPositions(c, column, xLow, yLow);
        fourPositions(c, _mm256_add_pd(column, _mm256_set1_pd(4)), xHigh, yHigh);
        const __m256i X = _mm256_setr_m128i(xLow, xHigh), Y = _mm256_setr_m128i(yLow, yHigh);
        const __m256i sx = _mm256_min_epi32(_mm256_max_epi32(_mm256_srai_epi32(X, kInterBits), shortMin), shortMax);
        const __m256i sy = _mm256_min_epi32(_mm256_max_epi32(_mm256_srai_epi32(Y, kInterBits), shortMin), shortMax);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(xy + 2 * x1),
                            _mm256_or_si256(_mm256_and_si256(sx, lowHalf), _mm256_slli_epi32(sy, 16)));
        const __m256i f =
            _mm256_add_epi32(_mm256_slli_epi32(_mm256_and_si256(Y, fractionMask), kInterBits), _mm256_and_si256(X, fractionMask));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(fraction + x1),
                         _mm_packus_epi32(_mm256_castsi256_si128(f), _mm256_extracti128_si256(f, 1)));
    }
    blockTailPositions(M, X0, Y0, W0, x1, count, xy, fraction);
}

// One output pixel from its position: the four neighbours, each clamped into the image
// (BORDER_REPLICATE), weighted, rounded (FixedPtCast).
inline uchar bilinearPixel(const cv::Mat& src, const int16_t* xy, uint16_t fraction, const BilinearTable& table) {
    const int sx = xy[0], sy = xy[1];
    const auto clip = [](int v, int size) { return v >= 0 ? (v < size ? v : size - 1) : 0; };
    const int x0 = clip(sx, src.cols), x1 = clip(sx + 1, src.cols), y0 = clip(sy, src.rows), y1 = clip(sy + 1, src.rows);
    const uchar* r0 = src.ptr<uchar>(y0);
    const uchar* r1 = src.ptr<uchar>(y1);
    const std::array<int16_t, 4>& w = table[fraction];
    const int sum = r0[x0] * w[0] + r0[x1] * w[1] + r1[x0] * w[2] + r1[x1] * w[3];
    return cv::saturate_cast<uchar>((sum + (1 << (kCoefBits - 1))) >> kCoefBits);
}

void bilinearRowPlain(const cv::Mat& src, const int16_t* xy, const uint16_t* fraction, int width, uchar* out) {
    const BilinearTable& table = bilinearTable();
    for (int x = 0; x < width; ++x) out[x] = bilinearPixel(src, xy + 2 * x, fraction[x], table);
}

// Eight pixels a vector where all eight read four neighbours inside the image, with their next
// row's four bytes inside it too (so not the last two rows); the others one at a time. The same
// integer sums as bilinearPixel.
__attribute__((target("avx2"))) void bilinearRowAvx2(const cv::Mat& src, const int16_t* xy, const uint16_t* fraction, int width,
                                                     uchar* out) {
    const BilinearTable& table = bilinearTable();
    const auto* base = reinterpret_cast<const int*>(src.data);
    const auto* weights = reinterpret_cast<const long long*>(table.data());
    const int step = static_cast<int>(src.step);
    const __m256i lastX = _mm256_set1_epi32(src.cols - 2), lastY = _mm256_set1_epi32(src.rows - 3);
    const __m256i byteMask = _mm256_set1_epi32(0xff), highByte = _mm256_set1_epi32(0xff00);
    const __m256i half = _mm256_set1_epi32(1 << (kCoefBits - 1)), rowStep = _mm256_set1_epi32(step);
    const __m256i order = _mm256_setr_epi32(0, 1, 4, 5, 2, 3, 6, 7);
    int x = 0;
    for (; x <= width - 8; x += 8) {
        // Positions: x in the low 16 bits of each 32, y in the high.
        const __m256i pos = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xy + 2 * x));
        const __m256i sx = _mm256_srai_epi32(_mm256_slli_epi32(pos, 16), 16), sy = _mm256_srai_epi32(pos, 16);
        // Inside: 0 <= sx <= cols - 2 and 0 <= sy <= rows - 3, as unsigned comparisons.
        const __m256i outX = _mm256_cmpgt_epi32(_mm256_xor_si256(sx, _mm256_set1_epi32(INT_MIN)),
                                                _mm256_xor_si256(lastX, _mm256_set1_epi32(INT_MIN)));
        const __m256i outY = _mm256_cmpgt_epi32(_mm256_xor_si256(sy, _mm256_set1_epi32(INT_MIN)),
                                                _mm256_xor_si256(lastY, _mm256_set1_epi32(INT_MIN)));
        if (!_mm256_testz_si256(_mm256_or_si256(outX, outY), _mm256_or_si256(outX, outY))) {
            bilinearRowPlain(src, xy + 2 * x, fraction + x, 8, out + x);
            continue;
        }
        const __m256i offset = _mm256_add_epi32(_mm256_mullo_epi32(sy, rowStep), sx);
        const __m256i top = _mm256_i32gather_epi32(base, offset, 1);
        const __m256i bottom = _mm256_i32gather_epi32(base, _mm256_add_epi32(offset, rowStep), 1);
        // Each pixel's two bytes as two 16-bit lanes: (left, right).
        const __m256i topPair =
            _mm256_or_si256(_mm256_and_si256(top, byteMask), _mm256_slli_epi32(_mm256_and_si256(top, highByte), 8));
        const __m256i bottomPair =
            _mm256_or_si256(_mm256_and_si256(bottom, byteMask), _mm256_slli_epi32(_mm256_and_si256(bottom, highByte), 8));
        // Each pixel's four weights (64 bits), then the top pair's and the bottom pair's.
        const __m128i fractions = _mm_loadu_si128(reinterpret_cast<const __m128i*>(fraction + x));
        const __m256i first = _mm256_i32gather_epi64(weights, _mm_cvtepu16_epi32(fractions), 8);
        const __m256i second = _mm256_i32gather_epi64(weights, _mm_cvtepu16_epi32(_mm_srli_si128(fractions, 8)), 8);
        const __m256i topWeights = _mm256_permutevar8x32_epi32(
            _mm256_castps_si256(_mm256_shuffle_ps(_mm256_castsi256_ps(first), _mm256_castsi256_ps(second), 0x88)), order);
        const __m256i bottomWeights = _mm256_permutevar8x32_epi32(
            _mm256_castps_si256(_mm256_shuffle_ps(_mm256_castsi256_ps(first), _mm256_castsi256_ps(second), 0xdd)), order);
        const __m256i sum = _mm256_add_epi32(_mm256_add_epi32(_mm256_madd_epi16(topPair, topWeights), half),
                                             _mm256_madd_epi16(bottomPair, bottomWeights));
        const __m256i value = _mm256_srai_epi32(sum, kCoefBits);
        const __m128i words = _mm_packs_epi32(_mm256_castsi256_si128(value), _mm256_extracti128_si256(value, 1));
        _mm_storel_epi64(reinterpret_cast<__m128i*>(out + x), _mm_packus_epi16(words, words));
    }
    if (x < width) bilinearRowPlain(src, xy + 2 * x, fraction + x, width - x, out + x);
}

}  // namespace

void warpPerspectiveGrey(const cv::Mat& src, cv::Mat& dst, const cv::Matx33d& srcToDst, cv::Size size, cnn::Isa widest) {
    CV_Assert(src.type() == CV_8UC1 && !src.empty() && src.cols <= SHRT_MAX && src.rows <= SHRT_MAX);
    cv::Mat M;  // destination -> source, inverted as cv::warpPerspective inverts it
    cv::invert(cv::Mat(srcToDst), M);
    const double* m = M.ptr<double>();
    dst.create(size, CV_8UC1);
    if (size.empty()) return;
    // WarpPerspectiveInvoker's blocks: each block's first column starts the sums anew.
    const int blockRows = std::min(16, size.height);
    const int blockCols = std::min(32 * 32 / blockRows, size.width);
    std::vector<int16_t> xy(static_cast<size_t>(2 * size.width));
    std::vector<uint16_t> fraction(static_cast<size_t>(size.width));
    const bool avx2 = widest != cnn::Isa::Baseline && cnn::supports(cnn::Isa::Avx2);
    // The vector path reads four bytes from a neighbour's row: an image of at least 4 x 3.
    const bool avx2Reads = avx2 && src.cols >= 4 && src.rows >= 3;
    for (int y = 0; y < size.height; ++y) {
        for (int x = 0; x < size.width; x += blockCols) {
            const int count = std::min(blockCols, size.width - x);
            const double X0 = m[0] * x + m[1] * y + m[2], Y0 = m[3] * x + m[4] * y + m[5], W0 = m[6] * x + m[7] * y + m[8];
            if (avx2)
                blockPositionsAvx2(m, X0, Y0, W0, count, xy.data() + 2 * x, fraction.data() + x);
            else
                blockPositions(m, X0, Y0, W0, count, xy.data() + 2 * x, fraction.data() + x);
        }
        if (avx2Reads)
            bilinearRowAvx2(src, xy.data(), fraction.data(), size.width, dst.ptr<uchar>(y));
        else
            bilinearRowPlain(src, xy.data(), fraction.data(), size.width, dst.ptr<uchar>(y));
    }
}

}  // namespace alprsim::recognition
