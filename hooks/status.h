// The outcome of one change on the host: fine, or a sentence saying why not (for the log).
#pragma once

#include <string>
#include <utility>

namespace hotseat::hook {

class Status {
public:
    static Status ok() { return Status(); }
    static Status failure(std::string why) {
        Status status;
        status.failed_ = true;
        status.error_ = std::move(why);
        return status;
    }

    explicit operator bool() const { return !failed_; }
    const std::string& error() const { return error_; }

private:
    bool failed_ = false;
    std::string error_;
};

}  // namespace hotseat::hook
