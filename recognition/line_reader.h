#pragma once
// A second way to read a plate's characters: the whole plate crop at once, without cutting it
// into characters first. A small fully convolutional network (trained with CTC on rendered
// plates, tools/train_line_cnn.py) looks at the crop scaled to kLineHeight x kLineWidth and
// gives, for each of its columns of output, the probabilities of the 36 characters and of
// "no character here". Characters that touch, frames, bolts and emblems, which make connected
// components give rows of the wrong length (plate_reader.h), need no segmentation here.
#include <opencv2/core.hpp>

#include <filesystem>
#include <memory>
#include <vector>

namespace alprsim::recognition {

class OnnxNetwork;

constexpr int kLineWidth = 96;
constexpr int kLineHeight = 32;
// The networks' output steps across the input: one for every 4 of its columns.
constexpr int kLineSteps = 24;

// A plate crop (grey, 8-bit) as the network sees it: scaled to kLineWidth x kLineHeight and
// stretched to the full range of grey. The training harvest (training.h) uses the same.
cv::Mat normalisePlateLine(const cv::Mat& grey);

// The three networks in data/recognition (recognitionDataDir()): line_cnn.onnx, line_cnn_2.onnx,
// line_cnn_3.onnx, three trainings of one network (recognition/README.md, "Training").
std::vector<std::filesystem::path> defaultLineModelPaths();

// What the line reader read in one crop.
struct LineRead {
    // The characters read (greedy CTC decoding), one row of kClassCount probabilities each (as
    // characterProbabilities below).
    cv::Mat characters;
    // Where each character stands: the output step (0 .. kLineSteps-1, left to right) where it
    // peaked, the mean over the reads combined; step t covers the input's columns near
    // (t + 0.5) * kLineWidth / kLineSteps. What a check of the characters' heights maps back to
    // the crop (plate_reader.cpp).
    std::vector<double> columns;
    // The first network's probabilities at every output step (rows: its output columns, left to
    // right; kClassCount columns, the last CTC's blank): what a decoding held to a plate syntax
    // searches (plate_syntax.h). Not averaged over the networks: their peaks need not fall on the
    // same columns, and the average of misaligned peaks is no network's read (a path search on
    // it read fewer of the cluttered development set; recognition/README.md, "Plate syntax").
    cv::Mat steps;
};

// Reads with one network or several. Networks trained alike still differ, crop by crop, in
// what they get wrong (three trainings read 57-61% of the real crops, and the development sets
// ranked them differently): where the first network is unsure, the others read too and the
// reads are combined, which removes much of that training noise.
class LineReader {
public:
    // Throws std::runtime_error naming the file if one cannot be read as a network.
    explicit LineReader(const std::vector<std::filesystem::path>& onnxPaths = defaultLineModelPaths());
    ~LineReader();
    // The characters read (greedy CTC decoding) as rows of kClassCount probabilities: each
    // row is the output column where that character peaked, with the "no character" mass as
    // the junk class, ready for applySyntax (plate_reader.h). With several networks: the first
    // network's read if every character's best class is at least kSureRead; else the others
    // read in turn until more than half of the networks agree on a length (or all have read),
    // and the reads of the length most give (ties: the first network's) are averaged row by
    // row. Thread-safe.
    cv::Mat characterProbabilities(const cv::Mat& grey) const;
    // The characters as characterProbabilities, and the steps of the networks that read them.
    // Where the first network's least sure character is under `othersFrom` (or it reads none),
    // its read is returned without asking the others (0: they are asked whenever it is unsure).
    // Thread-safe.
    LineRead read(const cv::Mat& grey, double othersFrom = 0) const;

private:
    std::vector<std::unique_ptr<OnnxNetwork>> networks_;
};

}  // namespace alprsim::recognition
