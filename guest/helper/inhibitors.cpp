#include "helper/inhibitors.h"

#include <dirent.h>
#include <systemd/sd-bus.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <string_view>

#include "util/fd.h"
#include "util/sd_handles.h"

namespace hotseat::guest {
namespace {

constexpr const char* kLogind = "org.freedesktop.login1";
constexpr const char* kLogindPath = "/org/freedesktop/login1";
constexpr const char* kLogindManager = "org.freedesktop.login1.Manager";

// Directory entries of `dir` that start with `prefix`, sorted (card0 before card1).
std::vector<std::string> entries(const std::string& dir, std::string_view prefix, std::string_view suffix = {}) {
    std::vector<std::string> out;
    util::Dir d(::opendir(dir.c_str()));
    if (!d) return out;
    while (dirent* e = ::readdir(d.get())) {
        std::string_view name = e->d_name;
        if (name.substr(0, prefix.size()) != prefix) continue;
        if (!suffix.empty() && (name.size() < suffix.size() || name.substr(name.size() - suffix.size()) != suffix))
            continue;
        out.emplace_back(name);
    }
    std::sort(out.begin(), out.end());
    return out;
}

bool running(const std::string& status_file) {
    std::ifstream in(status_file);
    for (std::string line; std::getline(in, line);)
        if (line.rfind("state:", 0) == 0) return line.find("RUNNING") != std::string::npos;
    return false;
}

using util::BusError;
using util::BusMessage;

// Who and why of the first idle blocker ListInhibitors names: a(ssssuu) what, who, why, mode, uid, pid.
std::string idle_blocker(sd_bus* bus) {
    BusError e;
    BusMessage reply;
    if (sd_bus_call_method(bus, kLogind, kLogindPath, kLogindManager, "ListInhibitors", &e.error, util::out_ptr(reply),
                           "") < 0)
        return {};
    if (sd_bus_message_enter_container(reply.get(), 'a', "(ssssuu)") < 0) return {};
    const char *what = nullptr, *who = nullptr, *why = nullptr, *mode = nullptr;
    uint32_t uid = 0, pid = 0;
    while (sd_bus_message_read(reply.get(), "(ssssuu)", &what, &who, &why, &mode, &uid, &pid) > 0) {
        std::string whats = std::string(":") + what + ":";
        if (whats.find(":idle:") == std::string::npos || std::strcmp(mode, "block") != 0) continue;
        std::string text = who && *who ? who : "a program";
        if (why && *why) text += std::string(" (") + why + ")";
        return text;
    }
    return {};
}

}  // namespace

std::string audio_playing(const std::string& asound_root) {
    for (const auto& card : entries(asound_root, "card"))
        for (const auto& pcm : entries(asound_root + "/" + card, "pcm", "p"))
            for (const auto& sub : entries(asound_root + "/" + card + "/" + pcm, "sub"))
                if (running(asound_root + "/" + card + "/" + pcm + "/" + sub + "/status"))
                    return "audio playing (" + card + " " + pcm + ")";
    return {};
}

std::string logind_idle_inhibitor(sd_bus* bus, std::string* error) {
    BusError e;
    util::Malloced<char> blocked;
    int r = sd_bus_get_property_string(bus, kLogind, kLogindPath, kLogindManager, "BlockInhibited", &e.error,
                                       util::out_ptr(blocked));
    if (r < 0) {
        *error = e.text(r);
        return {};
    }
    std::string whats = std::string(":") + blocked.get() + ":";
    if (whats.find(":idle:") == std::string::npos) return {};
    std::string who = idle_blocker(bus);
    return who.empty() ? "idle inhibitor" : "idle inhibitor: " + who;
}

std::string join_reasons(const std::vector<std::string>& reasons, std::size_t max_bytes) {
    std::string out;
    for (const auto& r : reasons) {
        if (r.empty()) continue;
        out += (out.empty() ? "" : "; ") + r;
    }
    // Control characters have no place in a reason (the host refuses them): spaces instead.
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    if (out.size() <= max_bytes) return out;
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xc0) == 0x80) --cut;  // not inside a character
    return out.substr(0, cut);
}

}  // namespace hotseat::guest
