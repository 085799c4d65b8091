#include "config/depth_scan.h"

#include <array>

#include "config/limits.h"

namespace hotseat::config {
namespace {

// One pass over the text. Where keys are expected: at the start of a line outside any array or
// inline table, inside a table header, and after `{` or `,` in an inline table; `=` starts a
// value, and arrays hold values only. Dots count as key parts only where keys are expected, so
// floats and times in values never do.
class Scanner {
public:
    explicit Scanner(std::string_view text) : text_(text) {}

    std::optional<DepthProblem> run() {
        while (pos_ < text_.size()) {
            char c = text_[pos_];
            switch (c) {
                case '\n':
                    if (open_ == 0) {  // a line ends the key or value outside arrays and tables
                        expecting_key_ = true;
                        in_header_ = false;
                        parts_ = 0;
                    }
                    advance();
                    break;
                case ' ':
                case '\t':
                case '\r': advance(); break;
                case '#': skip_comment(); break;
                case '"':
                case '\'':
                    key_part_begins();
                    skip_string(c);
                    break;
                case '.':
                    if (expecting_key_ && parts_ > 0 && ++parts_ > kMaxKeyParts) return key_problem();
                    advance();
                    break;
                case '=':
                    parts_ = 0;
                    expecting_key_ = false;
                    advance();
                    break;
                case ',':
                    parts_ = 0;
                    expecting_key_ = open_ > 0 && kinds_[open_ - 1] == '{';
                    advance();
                    break;
                case '[':
                    if (open_ == 0 && expecting_key_ && parts_ == 0 && !in_header_) {
                        begin_header();
                        break;
                    }
                    if (auto problem = open('[')) return problem;
                    break;
                case '{':
                    if (auto problem = open('{')) return problem;
                    break;
                case ']':
                    if (in_header_ && open_ == 0) {
                        end_header();
                        break;
                    }
                    close();
                    break;
                case '}': close(); break;
                default:
                    key_part_begins();
                    advance();
                    break;
            }
        }
        return std::nullopt;
    }

private:
    // Past one byte. Columns count characters, as toml++ does: a UTF-8 continuation byte
    // (10xxxxxx) does not start one.
    void advance() {
        auto byte = static_cast<unsigned char>(text_[pos_++]);
        if (byte == '\n') {
            ++line_;
            column_ = 1;
        } else if ((byte & 0xC0) != 0x80) {
            ++column_;
        }
    }
    bool at(std::string_view s) const { return text_.substr(pos_, s.size()) == s; }

    void key_part_begins() {
        if (!expecting_key_ || parts_ > 0) return;
        parts_ = 1;
        key_line_ = line_;
        key_column_ = column_;
    }

    void begin_header() {  // `[` or `[[` at the start of a line
        in_header_ = true;
        advance();
        if (pos_ < text_.size() && text_[pos_] == '[') advance();
    }
    void end_header() {
        in_header_ = false;
        parts_ = 0;
        expecting_key_ = false;  // until the line ends
        advance();
        if (pos_ < text_.size() && text_[pos_] == ']') advance();
    }

    std::optional<DepthProblem> open(char kind) {
        if (open_ == kMaxValueNesting)
            return DepthProblem{line_, column_,
                                "arrays and inline tables nested more than " + std::to_string(kMaxValueNesting) +
                                    " deep (at most " + std::to_string(kMaxValueNesting) + " levels are allowed)"};
        kinds_[open_++] = kind;
        parts_ = 0;
        expecting_key_ = kind == '{';
        advance();
        return std::nullopt;
    }
    void close() {
        if (open_ > 0) --open_;
        parts_ = 0;
        expecting_key_ = false;  // a value just ended: `,`, `}`, `]` or the line's end comes next
        advance();
    }

    DepthProblem key_problem() const {
        return DepthProblem{key_line_, key_column_,
                            "dotted key with more than " + std::to_string(kMaxKeyParts) + " parts (at most " +
                                std::to_string(kMaxKeyParts) + " are allowed)"};
    }

    void skip_comment() {
        while (pos_ < text_.size() && text_[pos_] != '\n') advance();
    }

    // From the opening quote past the closing one. Basic strings (") know backslash escapes,
    // literal ones (') do not; a single-line string ends at the line's end if it is not closed
    // (a syntax error the parser reports). """ and ''' strings may end with up to two quotes of
    // content before the closing three.
    void skip_string(char quote) {
        const std::string triple(3, quote);
        bool multi_line = at(triple);
        for (int i = 0; i < (multi_line ? 3 : 1); ++i) advance();
        while (pos_ < text_.size()) {
            char c = text_[pos_];
            if (c == '\n' && !multi_line) return;
            if (c == '\\' && quote == '"') {
                advance();
                if (pos_ < text_.size() && (multi_line || text_[pos_] != '\n')) advance();
                continue;
            }
            if (multi_line && at(triple)) {
                for (int i = 0; i < 3; ++i) advance();
                for (int extra = 0; extra < 2 && pos_ < text_.size() && text_[pos_] == quote; ++extra) advance();
                return;
            }
            advance();
            if (!multi_line && c == quote) return;
        }
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    std::uint32_t line_ = 1;
    std::uint32_t column_ = 1;
    std::array<char, kMaxValueNesting> kinds_{};  // '[' or '{' for each one open
    std::size_t open_ = 0;
    bool expecting_key_ = true;
    bool in_header_ = false;
    std::size_t parts_ = 0;  // of the key being read; 0 when none is
    std::uint32_t key_line_ = 0;
    std::uint32_t key_column_ = 0;
};

}  // namespace

std::optional<DepthProblem> scan_depth(std::string_view text) { return Scanner(text).run(); }

}  // namespace hotseat::config
