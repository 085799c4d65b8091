#include "line_reader.h"

namespace hotseat::guest {

std::vector<LineChunk> LineReader::feed(std::string_view bytes) {
    std::vector<LineChunk> out;
    while (!bytes.empty()) {
        auto nl = bytes.find('\n');
        std::string_view part = bytes.substr(0, nl);
        if (!skipping_) {
            if (buffer_.size() + part.size() > limit_) {
                out.push_back(LineChunk{{}, true});
                buffer_.clear();
                skipping_ = true;
            } else {
                buffer_.append(part);
            }
        }
        if (nl == std::string_view::npos) break;
        if (!skipping_) out.push_back(LineChunk{std::move(buffer_), false});
        buffer_.clear();
        skipping_ = false;
        bytes.remove_prefix(nl + 1);
    }
    return out;
}

}  // namespace hotseat::guest
