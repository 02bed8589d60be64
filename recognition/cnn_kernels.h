#pragma once
// The arithmetic of the small convolutional networks we run with our own forward pass (the
// character CNN, char_cnn.h, and the line reader's networks, conv_chain.h): im2col, the
// convolution as one product, dense layers, ReLU with max pooling. Single precision; the
// multiply-adds are compiled for AVX2 with FMA and for the build's baseline, chosen at run time.
namespace alprsim::recognition::cnn {

// Positions are processed in blocks of kBlock: rows of im2col and of a convolution's output
// hold paddedPositions(n) floats, zero padded.
constexpr int kBlock = 16;
constexpr int paddedPositions(int n) { return (n + kBlock - 1) / kBlock * kBlock; }

// A stride-1 convolution's window: kernel size and zero padding before (top, left); its output
// is (h + padTop + padBottom - kernelH + 1) x (w + padLeft + padRight - kernelW + 1).
struct Window {
    int kernelH = 3, kernelW = 3;
    int padTop = 1, padLeft = 1;
};

// im2col of `channels` planes of h x w (dense, channel-major) for an output of outH x outW:
// row (c, ky, kx) holds channel c shifted by (ky - padTop, kx - padLeft), zero outside, in a
// row of `stride` floats (stride >= outH * outW). col must hold channels * kernelH * kernelW
// rows; it is overwritten whole.
void im2col(const float* in, int channels, int h, int w, const Window& window, int outH, int outW, int stride, float* col);

// out[o][p] = b[o] + sum_j w[o][j] * col[j][p] for every p < stride (the im2col product of a
// layer): w is outChannels x k (PyTorch's order), col and out hold rows of `stride` positions
// (a multiple of kBlock); outChannels % 4 == 0. Each output sums over j in order, whatever the
// blocking, so that one input gives the same bits alone or in a batch.
void convolve(const float* w, const float* b, const float* col, int outChannels, int k, int stride, float* out);

// The instruction sets convolve runs on: it takes the widest the CPU has. AVX2 and AVX-512 give
// the same bits (each output's fused multiply-adds in the same order); the baseline, without
// fused multiply-adds, differs in the last bits.
enum class Isa { Baseline, Avx2, Avx512 };
bool supports(Isa isa);
// convolve on a given instruction set (for tests); std::invalid_argument if the CPU lacks it.
void convolveOn(Isa isa, const float* w, const float* b, const float* col, int outChannels, int k, int stride, float* out);

// y = b + x W, W stored inputs x outputs (transposed from PyTorch's).
void dense(const float* wt, const float* b, const float* x, int in, int outCount, float* y);

// Max pooling (poolH x poolW windows, stride the window, rows and columns beyond a whole window
// dropped) of max(0, y) if relu, else of y: y holds `channels` rows of `stride` floats, each an
// h x w plane; out gets channels x (h / poolH) x (w / poolW), dense. Pools of 1 x 1 only copy
// (and ReLU).
void reluMaxPool(const float* y, int channels, int h, int w, int stride, int poolH, int poolW, bool relu, float* out);

}  // namespace alprsim::recognition::cnn
