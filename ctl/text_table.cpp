#include "text_table.h"

#include <algorithm>

namespace hotseat::ctl {
namespace {

std::string one_line(const std::string& cell) {
    std::string out;
    for (char c : cell) {
        if (c == '\n')
            out += " / ";
        else if (c != '\r')
            out += c;
    }
    return out;
}

}  // namespace

std::size_t display_width(const std::string& text) {
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

TextTable::TextTable(std::vector<std::string> headers) { rows_.push_back(std::move(headers)); }

void TextTable::add_row(std::vector<std::string> cells) {
    cells.resize(rows_[0].size());
    for (auto& cell : cells) cell = one_line(cell);
    rows_.push_back(std::move(cells));
}

std::string TextTable::render() const {
    std::vector<std::size_t> widths(rows_[0].size(), 0);
    for (const auto& row : rows_)
        for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], display_width(row[i]));
    std::string out;
    for (const auto& row : rows_) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) line += std::string(widths[i] - display_width(row[i]) + 2, ' ');
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
    }
    return out;
}

}  // namespace hotseat::ctl
