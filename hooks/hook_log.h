// The hook's voice: one line per message on stderr, naming the domain. libvirtd copies a hook's
// stderr into its own log, and into the error a failed `prepare` returns to `virsh start`, so
// every line must make sense on its own there.
#pragma once

#include <string>

#include "log.h"

namespace hotseat::hook {

class Log {
public:
    explicit Log(std::string domain) : domain_(std::move(domain)) {}

    template <typename... Args>
    void info(const Args&... a) const {
        line("", log::concat(a...));
    }
    template <typename... Args>
    void warning(const Args&... a) const {
        line("warning: ", log::concat(a...));
    }
    template <typename... Args>
    void error(const Args&... a) const {
        line("error: ", log::concat(a...));
    }

private:
    void line(const char* level, const std::string& message) const;

    std::string domain_;
};

}  // namespace hotseat::hook
