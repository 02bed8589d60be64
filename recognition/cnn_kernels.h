#pragma once
// The arithmetic of the small convolutional networks we run with our own forward pass (the
// character CNN, char_cnn.h, and the line reader's networks, conv_chain.h): stride-1
// convolutions as one product over shifted views of a zero-padded input (no im2col copy),
// dense layers, ReLU with max pooling. Single precision; the multiply-adds are compiled for
// AVX-512, for AVX2 with FMA and for the build's baseline, chosen at run time.
#include <vector>

namespace alprsim::recognition::cnn {

// Positions are processed in blocks of kBlock: rows of a convolution's output hold
// paddedPositions(n) floats.
constexpr int kBlock = 16;
constexpr int paddedPositions(int n) { return (n + kBlock - 1) / kBlock * kBlock; }

// The instruction sets the convolutions run on: the widest the CPU has. AVX2 and AVX-512 give
// the same bits (each output's fused multiply-adds in the same order); the baseline, without
// fused multiply-adds, differs in the last bits.
enum class Isa { Baseline, Avx2, Avx512 };
bool supports(Isa isa);

// The instruction set the networks run on: the widest the CPU has, or the one the environment
// variable ALPRSIM_CNN_ISA names (avx512, avx2 or baseline), which measures on one machine what
// a machine without AVX-512 pays. Throws InputError naming the variable for a name it does not
// know or an instruction set the CPU lacks. The networks' loaders call it, so that such an
// error comes before any reading.
Isa activeIsa();

// out[o][p] = b[o] + sum_j w[o][j] * col[j][p] for every p < stride, j in order (the im2col
// product of a layer) on a given instruction set (for tests; the networks go through
// convolvePadded, the same product): w is outChannels x k (PyTorch's order), col and out hold
// rows of `stride` positions (a multiple of kBlock); outChannels % 4 == 0;
// std::invalid_argument if the CPU lacks the instruction set.
void convolveOn(Isa isa, const float* w, const float* b, const float* col, int outChannels, int k, int stride, float* out);

// Zero padding of a stride-1 convolution's input.
struct Padding {
    int top = 1, left = 1, bottom = 1, right = 1;
};

// `channels` planes of h x w (dense, channel-major) laid out with zero borders for
// convolvePadded: each plane (h + top + bottom) rows of `pitch` = w + left + right floats, the
// planes one after another, zeros after the last for the kernels' reads past it. Returns pitch.
int padPlanes(const float* in, int channels, int h, int w, const Padding& padding, int kernelW, std::vector<float>& padded);

// A stride-1 convolution (kernelH x kernelW, weights outChannels x (channels * kernelH *
// kernelW) in PyTorch's order, outChannels % 4 == 0) of planes laid out by padPlanes: the
// output plane o holds output row y, column x at o * outStride + y * pitch + x (x < the output
// width; the columns beyond are not outputs), outStride = paddedPositions(outH * pitch). Each
// output is convolve's over an im2col of the same input: the same sum in the same order.
void convolvePadded(const float* w, const float* b, const float* padded, int channels, int h, int pitch, const Padding& padding,
                    int kernelH, int kernelW, int outChannels, float* out, int outStride);

// y = b + x W, W stored inputs x outputs (transposed from PyTorch's); each output's sum over
// the inputs in order, zero inputs skipped.
void dense(const float* wt, const float* b, const float* x, int in, int outCount, float* y);
// The same on a given instruction set (for tests); std::invalid_argument if the CPU lacks it.
void denseOn(Isa isa, const float* wt, const float* b, const float* x, int in, int outCount, float* y);

// Max pooling (poolH x poolW windows, stride the window, rows and columns beyond a whole window
// dropped) of max(0, y) if relu, else of y: y holds `channels` planes `stride` floats apart,
// each h x w in rows `pitch` floats apart; out gets channels x (h / poolH) x (w / poolW), dense.
// Pools of 1 x 1 only copy (and ReLU).
void reluMaxPool(const float* y, int channels, int h, int w, int pitch, int stride, int poolH, int poolW, bool relu, float* out);

// One layer as both our networks run it (the character CNN, the line reader's chains): a
// stride-1 convolution with its bias, then ReLU (if relu) and max pooling.
struct ConvLayer {
    int in = 0, out = 0;  // channels
    int outPadded = 0;    // out rounded up to a multiple of 4, zero weights beyond out
    int kernelH = 3, kernelW = 3;
    Padding padding;
    std::vector<float> w, b;  // outPadded x (in * kernelH * kernelW) in PyTorch's order, outPadded
    bool relu = false;
    int poolH = 1, poolW = 1;  // max pooling after (1 x 1: none)

    // x holds `in` planes of height x width, dense; it gets the `out` pooled planes, and height
    // and width their size. padded and y are scratch (kept by the caller: no allocation once warm).
    void apply(std::vector<float>& x, int& height, int& width, std::vector<float>& padded, std::vector<float>& y) const;
};

}  // namespace alprsim::recognition::cnn
