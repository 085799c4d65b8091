#include "hotseatd_test.h"

#include <iostream>

namespace hotseat::test {

void HotseatdTest::TearDown() {
    if (HasFailure() && (daemon_ || !past_logs_.empty()))
        std::cerr << "---- hotseatd log ----\n" << past_logs_ << (daemon_ ? daemon_->log() : "") << "----\n";
}

DaemonOptions HotseatdTest::daemon_options(const std::string& work_dir) const {
    return DaemonOptions{config_, testbed_.root(), bus_.address(), work_dir.empty() ? dir_.path() : work_dir, {}};
}

void HotseatdTest::start_daemon(const std::string& work_dir) {
    if (daemon_) past_logs_ += daemon_->log() + "---- (restarted) ----\n";
    daemon_.reset();  // its notify socket goes first: a new one may take the path
    daemon_ = std::make_unique<DaemonProcess>(daemon_options(work_dir));
    ASSERT_TRUE(daemon_->wait_ready()) << "hotseatd sent no READY=1";
}

bool HotseatdTest::state_becomes(const std::string& encoded_vm, const std::string& state,
                                 std::chrono::milliseconds timeout) {
    return wait_until([&] { return vm_state(bus_.address(), encoded_vm) == state; }, timeout);
}

bool HotseatdTest::log_shows(const std::string& text) {
    return wait_until([&] { return log_has(text); });
}

}  // namespace hotseat::test
