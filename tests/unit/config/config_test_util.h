// Helpers shared by the config tests.
#pragma once

#include <string>
#include <vector>

#include "hotseat/config.h"

namespace hotseat::test {

// load_config_string with the origin "hotseat.toml".
ConfigLoad load_text(const std::string& text);

// Every error as "line:column: message", one per line: what a failing assertion prints.
std::string describe(const std::vector<ConfigError>& problems);

// A fresh directory under $TMPDIR (or /tmp), removed with its contents on destruction. The
// config tests keep their own so that they link only the hotseat library.
class ScratchDir {
public:
    ScratchDir();
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

// Writes `text` to `path` and sets exactly `mode` (the umask does not get a say). Throws on error.
void write_text_file(const std::string& path, const std::string& text, unsigned mode);

// The whole file; throws when it cannot be read.
std::string read_text_file(const std::string& path);

}  // namespace hotseat::test
