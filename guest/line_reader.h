// Splits a byte stream into lines with a hard limit: a line longer than the limit is refused
// (reported once) and everything up to the next newline is skipped, so a guest that never sends
// a newline costs at most `limit` bytes of memory. Pure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hotseat::guest {

struct LineChunk {
    std::string line;        // without the newline
    bool oversized = false;  // the line exceeded the limit; `line` is empty
};

class LineReader {
public:
    explicit LineReader(std::size_t limit) : limit_(limit) {}
    std::vector<LineChunk> feed(std::string_view bytes);
    void reset() {
        buffer_.clear();
        skipping_ = false;
    }

private:
    std::size_t limit_;
    std::string buffer_;
    bool skipping_ = false;  // inside an oversized line, until its newline
};

}  // namespace hotseat::guest
