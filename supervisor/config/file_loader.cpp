// load_config_file (hotseat/config.h): the file read with the checks a root daemon needs
// (config/file_reader.h), its text validated by the core's load_config_string. Part of the
// hotseat_config_file library, not of the pure core (supervisor/CMakeLists.txt says why).
#include "config/file_reader.h"
#include "hotseat/config.h"

namespace hotseat {

ConfigLoad load_config_file(const std::string& path, OwnerCheck owner) {
    auto file = config::read_config_file(path, owner == OwnerCheck::RootOnly);
    if (!file.text) {
        ConfigLoad load;
        load.errors.push_back(ConfigError{path, 0, 0, file.error});
        return load;
    }
    return load_config_string(*file.text, path);
}

}  // namespace hotseat
