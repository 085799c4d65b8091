#include "undo_log.h"

#include <algorithm>
#include <charconv>
#include <vector>

namespace hotseat::hook {
namespace {

constexpr std::size_t kMaxToken = 255;

std::vector<std::string_view> split(std::string_view line) {
    std::vector<std::string_view> tokens;
    std::size_t start = 0;
    while (start <= line.size()) {
        std::size_t end = line.find(' ', start);
        if (end == std::string_view::npos) end = line.size();
        tokens.push_back(line.substr(start, end - start));
        start = end + 1;
    }
    return tokens;
}

std::optional<std::uint64_t> number(std::string_view text) {
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// Reads one record into the log; an empty string when it fits, otherwise what is wrong.
class Reader {
public:
    explicit Reader(UndoLog& log) : log_(log) {}

    std::string apply(const std::vector<std::string_view>& t) {
        if (t.size() == 1 && t[0] == kReadyRecord) return mark_ready();
        if (t.size() < 2) return "unknown record";
        auto id = number(t[1]);
        if (!id || *id == 0 || *id > 1000000) return "bad step number";
        if (t[0] == "do") return add(static_cast<int>(*id), t);
        Step* step = find(static_cast<int>(*id));
        if (!step) return "no step " + std::string(t[1]);
        if (t[0] == "did") return did(*step, t);
        if (t[0] == "undo") return undo(*step, t);
        if (t[0] == "undid") return undid(*step, t);
        return "unknown record";
    }

private:
    Step* find(int id) {
        auto it = std::find_if(log_.steps.begin(), log_.steps.end(), [&](const Step& s) { return s.id == id; });
        return it == log_.steps.end() ? nullptr : &*it;
    }

    std::string mark_ready() {
        log_.ready = true;
        return {};
    }

    std::string add(int id, const std::vector<std::string_view>& t) {
        if (find(id)) return "step " + std::to_string(id) + " appears twice";
        Step step;
        step.id = id;
        if (t.size() == 6 && t[2] == "hugepages") {
            auto size = number(t[3]), old = number(t[4]), target = number(t[5]);
            if (!size || !old || !target || *target < *old) return "bad hugepages step";
            if (!is_hugepage_size(*size)) return "no such hugepage size";
            step.kind = StepKind::Hugepages;
            step.page_kib = *size, step.old_pages = *old, step.target_pages = *target;
        } else if (t.size() == 4 && t[2] == "vtconsole" && is_vtconsole_name(t[3])) {
            step.kind = StepKind::Vtconsole;
            step.name = t[3];
        } else if (t.size() == 5 && t[2] == "framebuffer" && is_framebuffer_driver(t[3]) &&
                   is_platform_device_name(t[4])) {
            step.kind = StepKind::Framebuffer;
            step.driver = t[3], step.name = t[4];
        } else {
            return "unknown step";
        }
        log_.steps.push_back(step);
        return {};
    }

    std::string did(Step& step, const std::vector<std::string_view>& t) {
        if (step.state != StepState::Pending) return "step done twice";
        bool pages = step.kind == StepKind::Hugepages;
        if (t.size() != (pages ? 3u : 2u)) return "bad did record";
        if (pages) {
            auto got = number(t[2]);
            if (!got) return "bad page count";
            step.got_pages = *got;
        }
        step.state = StepState::Done;
        return {};
    }

    std::string undo(Step& step, const std::vector<std::string_view>& t) {
        if (step.state != StepState::Pending && step.state != StepState::Done) return "step undone twice";
        bool pages = step.kind == StepKind::Hugepages;
        if (t.size() != (pages ? 4u : 2u)) return "bad undo record";
        if (pages) {
            auto from = number(t[2]), to = number(t[3]);
            if (!from || !to) return "bad page count";
            // Only ever down, and by no more than the step added.
            if (*to > *from || *from - *to > step.target_pages - step.old_pages) return "undo beyond the step";
            step.undo_from = *from, step.undo_to = *to;
        }
        step.state = StepState::Undoing;
        return {};
    }

    std::string undid(Step& step, const std::vector<std::string_view>& t) {
        if (t.size() != 2) return "bad undid record";
        if (step.state != StepState::Undoing) return "undid without undo";
        step.state = StepState::Undone;
        return {};
    }

    UndoLog& log_;
};

std::string kind_word(StepKind kind) {
    switch (kind) {
        case StepKind::Hugepages: return "hugepages";
        case StepKind::Vtconsole: return "vtconsole";
        case StepKind::Framebuffer: return "framebuffer";
    }
    return "?";
}

}  // namespace

bool UndoLog::undo_started() const {
    return std::any_of(steps.begin(), steps.end(),
                       [](const Step& s) { return s.state == StepState::Undoing || s.state == StepState::Undone; });
}

bool is_record_token(std::string_view text) {
    return !text.empty() && text.size() <= kMaxToken &&
           std::all_of(text.begin(), text.end(), [](char c) { return c > ' ' && c < 127; });
}

bool is_framebuffer_driver(std::string_view driver) {
    return std::find(kFramebufferDrivers.begin(), kFramebufferDrivers.end(), driver) != kFramebufferDrivers.end();
}

bool is_vtconsole_name(std::string_view name) {
    constexpr std::string_view kPrefix = "vtcon";
    return name.size() > kPrefix.size() && name.size() <= kPrefix.size() + 4 &&
           name.substr(0, kPrefix.size()) == kPrefix &&
           std::all_of(name.begin() + kPrefix.size(), name.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_platform_device_name(std::string_view name) {
    return !name.empty() && name.size() <= 64 && name.front() != '.' && name.find("..") == std::string_view::npos &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      std::string_view("_.:@-").find(c) != std::string_view::npos;
           });
}

bool is_hugepage_size(std::uint64_t page_kib) {
    return page_kib >= 4 && page_kib <= 16ull * 1024 * 1024 && (page_kib & (page_kib - 1)) == 0;
}

std::optional<UndoLog> parse_undo_log(std::string_view text, std::string* error) {
    UndoLog log;
    std::size_t complete = text.rfind('\n');
    complete = complete == std::string_view::npos ? 0 : complete + 1;
    log.torn_tail = complete != text.size();
    std::string_view body = text.substr(0, complete);
    std::size_t line_number = 0;
    Reader reader(log);
    while (!body.empty()) {
        std::size_t end = body.find('\n');
        std::string_view line = body.substr(0, end);
        body.remove_prefix(end + 1);
        ++line_number;
        std::string problem;
        if (line_number == 1)
            problem = line == kUndoLogHeader ? "" : "not a hotseat undo log";
        else
            problem = reader.apply(split(line));
        if (!problem.empty()) {
            *error = "line " + std::to_string(line_number) + ": " + problem;
            return std::nullopt;
        }
    }
    return log;
}

std::string do_record(const Step& step) {
    std::string record = "do " + std::to_string(step.id) + " " + kind_word(step.kind) + " ";
    switch (step.kind) {
        case StepKind::Hugepages:
            return record + std::to_string(step.page_kib) + " " + std::to_string(step.old_pages) + " " +
                   std::to_string(step.target_pages);
        case StepKind::Vtconsole: return record + step.name;
        case StepKind::Framebuffer: return record + step.driver + " " + step.name;
    }
    return record;
}

std::string did_record(const Step& step) {
    std::string record = "did " + std::to_string(step.id);
    if (step.kind == StepKind::Hugepages) record += " " + std::to_string(step.got_pages);
    return record;
}

std::string undo_record(const Step& step) {
    std::string record = "undo " + std::to_string(step.id);
    if (step.kind == StepKind::Hugepages)
        record += " " + std::to_string(step.undo_from) + " " + std::to_string(step.undo_to);
    return record;
}

std::string undid_record(const Step& step) { return "undid " + std::to_string(step.id); }

}  // namespace hotseat::hook
