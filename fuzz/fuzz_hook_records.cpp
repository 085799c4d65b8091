// Fuzz target: the files the root hook and hotseatd read back from the runtime directory — the
// hook's undo log (parse_undo_log) and the release record hotseatd reads (parse_release_record).
// Both are the boundary with a directory in /run (docs/robustness.md, "Threat model"): whatever
// an undo log the parser accepts may only name known sysfs entries and move hugepages down by no
// more than the step added, and an accepted release record only well-formed devices.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "hotseat/release_record.h"
#include "undo_log.h"

static_assert(HOTSEAT_FUZZ_MAX_LEN > hotseat::kMaxReleaseRecordBytes);

namespace {

using namespace hotseat;
using namespace hotseat::hook;

void check_undo_log(std::string_view text) {
    std::string error;
    auto log = parse_undo_log(text, &error);
    if (!log) {
        if (error.empty()) std::abort();  // a refusal says why
        return;
    }
    for (const Step& step : log->steps) {
        switch (step.kind) {
            case StepKind::Vtconsole:
                if (!is_vtconsole_name(step.name)) std::abort();
                break;
            case StepKind::Framebuffer:
                if (!is_framebuffer_driver(step.driver) || !is_platform_device_name(step.name)) std::abort();
                if (step.name.find('/') != std::string::npos || step.name.find("..") != std::string::npos) std::abort();
                break;
            case StepKind::Hugepages:
                if (!is_hugepage_size(step.page_kib) || step.target_pages < step.old_pages) std::abort();
                if (step.state == StepState::Undoing || step.state == StepState::Undone) {
                    if (step.undo_to > step.undo_from) std::abort();
                    if (step.undo_from - step.undo_to > step.target_pages - step.old_pages) std::abort();
                }
                break;
        }
    }
}

void check_release_record(std::string_view text) {
    std::string error;
    auto record = parse_release_record(text, "vm", &error);
    if (!record) {
        if (error.empty()) std::abort();
        return;
    }
    if (record->gpus.size() > kMaxReleaseRecordGpus) std::abort();
    for (const auto& gpu : record->gpus)
        if (gpu.address.size() != 12 || (!gpu.driver.empty() && !is_driver_name(gpu.driver))) std::abort();
    // What is accepted formats back to text that parses to the same record.
    auto again = parse_release_record(format_release_record(*record), "vm", &error);
    if (!again || !(*again == *record)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    check_undo_log(text);
    check_release_record(text);
    return 0;
}
