// Logging for the shell: one line per message on stderr, with a syslog priority prefix
// ("<6>") when stderr is connected to the journal, so journald records the level.
// Functions that log take the decision to tell the user; functions that return errors do not log.
#pragma once

#include <sstream>
#include <string>

namespace hotseat::log {

enum class Level { Debug = 7, Info = 6, Notice = 5, Warning = 4, Error = 3 };

void write(Level level, const std::string& message);
void set_verbose(bool verbose);  // Debug lines are dropped unless verbose
bool enabled(Level level);       // false for Debug unless verbose

template <typename... Args>
std::string concat(const Args&... args) {
    std::ostringstream s;
    (s << ... << args);
    return s.str();
}

// Checked before formatting: debug lines sit on hot paths (one per ignored uevent in a storm) and
// must cost nothing when they are dropped.
template <typename... Args>
void debug(const Args&... a) {
    if (enabled(Level::Debug)) write(Level::Debug, concat(a...));
}
template <typename... Args>
void info(const Args&... a) {
    write(Level::Info, concat(a...));
}
template <typename... Args>
void notice(const Args&... a) {
    write(Level::Notice, concat(a...));
}
template <typename... Args>
void warning(const Args&... a) {
    write(Level::Warning, concat(a...));
}
template <typename... Args>
void error(const Args&... a) {
    write(Level::Error, concat(a...));
}

}  // namespace hotseat::log
