// Left-aligned columns for `status`, sized to their widest cell, two spaces apart.
#pragma once

#include <string>
#include <vector>

namespace hotseat::ctl {

class TextTable {
public:
    explicit TextTable(std::vector<std::string> headers);
    // Cells beyond the headers are dropped, missing ones are empty; line breaks inside a cell
    // become " / " so that a row stays one line.
    void add_row(std::vector<std::string> cells);
    // Header line plus one line per row, each ending in '\n'; no trailing spaces.
    std::string render() const;

private:
    std::vector<std::vector<std::string>> rows_;  // the headers are rows_[0]
};

// Width on a terminal, counting UTF-8 code points (names here are not East Asian wide).
std::size_t display_width(const std::string& text);

}  // namespace hotseat::ctl
