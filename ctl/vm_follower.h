// `--wait`: follows one VM's State and Step after a request, prints a progress line whenever
// they change, and judges when the VM has settled.
#pragma once

#include <ostream>
#include <string>

#include "bus_client.h"
#include "snapshot.h"

namespace hotseat::ctl {

enum class Verdict { Waiting, Reached, Missed };

// A VM asked to become `wanted` ("running" or "off") is now in `state`; `moved` says whether any
// other state than the one before the request has been seen since. A settled state other than
// the wanted one counts as missed only after the VM moved: until the daemon publishes the
// request's first step, the old state is still showing.
Verdict judge(const std::string& wanted, const std::string& state, bool moved);

// What a request ends in: Start → running, Stop/ForceStop/Hibernate → off, Toggle → the opposite
// of now (a suspended VM is woken: running).
std::string wanted_state(const std::string& method, const std::string& state_before);

class VmFollower {
public:
    VmFollower(const VmSnapshot& before, std::string wanted, std::ostream& out);

    // Feed every PropertiesChanged of the VM interface.
    void apply(const PropertyMap& changed);
    Verdict verdict() const { return judge(wanted_, state_, moved_); }
    // Prints the current state unless that exact line was the last one printed.
    void print_current();

    const std::string& wanted() const { return wanted_; }
    const std::string& state() const { return state_; }
    const std::string& step() const { return step_; }
    const std::string& last_error() const { return last_error_; }

private:
    std::string name_;
    std::string wanted_;
    std::string initial_state_;
    std::string state_;
    std::string step_;
    std::string last_error_;
    bool moved_ = false;
    std::string last_line_;
    std::ostream& out_;
};

}  // namespace hotseat::ctl
