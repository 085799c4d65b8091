// The undo log: what `prepare` changed on the host, so that `release` can put it back even
// after a crash. One text file per domain in the runtime directory, one record per line,
// appended and flushed to disk around every change:
//
//   hotseat-undo 1                                     header
//   do 1 hugepages <page kB> <old nr> <target nr>      before raising nr_hugepages
//   did 1 <nr read back>                               after: what the kernel really gave
//   do 2 vtconsole <vtconN>                            before writing 0 to its bind
//   do 3 framebuffer <driver> <device>                 before unbinding the device
//   did 2 / did 3                                      after the change
//   ready                                              prepare finished
//   undo <id> [<nr before> <nr written>]               before putting a step back
//   undid <id>                                         after
//
// A "do" without its "did" is a change that may or may not have happened: undoing it must be
// safe either way. A last line without its newline was cut by a crash while being written; as
// every record is on disk before the change it announces, that change never started.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "status.h"

namespace hotseat::hook {

enum class StepKind { Hugepages, Vtconsole, Framebuffer };
enum class StepState { Pending, Done, Undoing, Undone };

struct Step {
    int id = 0;
    StepKind kind = StepKind::Hugepages;
    StepState state = StepState::Pending;
    std::string name;    // vtconsole: "vtcon1"; framebuffer: the device ("efi-framebuffer.0")
    std::string driver;  // framebuffer: its platform driver ("efi-framebuffer")
    // hugepages: page size, nr_hugepages before, what was asked for, what the kernel gave
    std::uint64_t page_kib = 0, old_pages = 0, target_pages = 0, got_pages = 0;
    // hugepages, while undoing: nr_hugepages found, and the value written back
    std::uint64_t undo_from = 0, undo_to = 0;
};

struct UndoLog {
    std::deque<Step> steps;  // in the order they were made; references stay valid on push_back
    bool ready = false;      // prepare finished
    bool torn_tail = false;  // the last line was cut short (and is ignored)

    bool empty() const { return steps.empty() && !ready; }
    bool undo_started() const;  // some step is being or has been put back
};

std::optional<UndoLog> parse_undo_log(std::string_view text, std::string* error);

// The records, without the newline.
std::string do_record(const Step& step);
std::string did_record(const Step& step);
std::string undo_record(const Step& step);
std::string undid_record(const Step& step);
inline constexpr std::string_view kUndoLogHeader = "hotseat-undo 1";
inline constexpr std::string_view kReadyRecord = "ready";

// A name that fits in a record: non-empty, printable, no whitespace.
bool is_record_token(std::string_view text);

// The only names a record may hold, as the kernel makes them: `release` writes into sysfs paths
// built from them as root, so a forged record must not be able to steer those writes anywhere
// else ("../", "/"), nor a hugepage count anywhere but down to what prepare added.
// Drivers of the framebuffers firmware leaves behind (simple-framebuffer is also simpledrm's).
inline constexpr std::array<std::string_view, 3> kFramebufferDrivers = {"efi-framebuffer", "simple-framebuffer",
                                                                        "vesa-framebuffer"};
bool is_framebuffer_driver(std::string_view driver);
bool is_vtconsole_name(std::string_view name);        // vtcon<N>
bool is_platform_device_name(std::string_view name);  // "efi-framebuffer.0": [A-Za-z0-9_.:@-], no ".."
bool is_hugepage_size(std::uint64_t page_kib);        // a power of two from 4 kB to 16 GiB

}  // namespace hotseat::hook
