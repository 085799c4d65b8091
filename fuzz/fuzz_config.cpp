// Fuzz target: the TOML config loader (load_config_string). Whatever the bytes, it returns either
// a validated Config or errors with a file:line:column, and never both.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "config/limits.h"
#include "hotseat/config.h"

// scripts/fuzz gives inputs up to one byte over the loader's own limit (fuzz/CMakeLists.txt).
static_assert(HOTSEAT_FUZZ_MAX_LEN == hotseat::config::kMaxFileBytes + 1);

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    auto load = hotseat::load_config_string(text, "fuzz.toml");
    if (load.config.has_value() == !load.errors.empty()) std::abort();  // exactly one of the two
    for (const auto& e : load.errors)
        if (e.message.empty()) std::abort();  // every refusal says why
    return 0;
}
