#include "hotseat/release_record.h"

#include <algorithm>

#include "config/syntax.h"

namespace hotseat {
namespace {

constexpr std::string_view kHeader = "hotseat-release 1";

std::vector<std::string_view> words(std::string_view line) {
    std::vector<std::string_view> out;
    while (!line.empty()) {
        auto space = line.find(' ');
        out.push_back(line.substr(0, space));
        if (space == std::string_view::npos) break;
        line.remove_prefix(space + 1);
    }
    return out;
}

}  // namespace

std::string release_record_name(std::string_view domain) { return std::string(domain) + ".release"; }

bool is_driver_name(std::string_view name) {
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
               c == '.';
    });
}

std::string format_release_record(const GpuRelease& record) {
    std::string text = std::string(kHeader) + "\n";
    for (const auto& gpu : record.gpus)
        text += "gpu " + gpu.address + " " + (gpu.driver.empty() ? "-" : gpu.driver) + "\n";
    text += std::string("console ") + (record.console_bound ? "bound" : "unbound") + "\n";
    return text;
}

std::optional<GpuRelease> parse_release_record(std::string_view text, const std::string& vm, std::string* error) {
    if (text.size() > kMaxReleaseRecordBytes) {
        *error = "larger than " + std::to_string(kMaxReleaseRecordBytes) + " bytes";
        return std::nullopt;
    }
    if (text.empty() || text.back() != '\n') {
        *error = "incomplete (no final newline)";
        return std::nullopt;
    }
    GpuRelease record;
    record.vm = vm;
    bool console_seen = false;
    std::size_t number = 0;
    for (std::string_view rest = text; !rest.empty();) {
        auto end = rest.find('\n');
        std::string_view line = rest.substr(0, end);
        rest.remove_prefix(end + 1);
        ++number;
        auto w = words(line);
        std::string problem;
        if (number == 1) {
            if (line != kHeader) problem = "not a hotseat release record";
        } else if (w.size() == 3 && w[0] == "gpu") {
            auto address = config::normalise_pci_address(w[1]);
            if (!address || *address != w[1])
                problem = "bad PCI address";
            else if (w[2] != "-" && !is_driver_name(w[2]))
                problem = "bad driver name";
            else if (record.gpus.size() >= kMaxReleaseRecordGpus)
                problem = "too many gpu lines";
            else
                record.gpus.push_back(GpuDriver{*address, w[2] == "-" ? "" : std::string(w[2])});
        } else if (w.size() == 2 && w[0] == "console" && (w[1] == "bound" || w[1] == "unbound") && !console_seen) {
            console_seen = true;
            record.console_bound = w[1] == "bound";
        } else {
            problem = "unknown line";
        }
        if (!problem.empty()) {
            *error = "line " + std::to_string(number) + ": " + problem;
            return std::nullopt;
        }
    }
    if (!console_seen) {
        *error = "no console line";
        return std::nullopt;
    }
    return record;
}

}  // namespace hotseat
