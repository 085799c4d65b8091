#include "vm_follower.h"

namespace hotseat::ctl {
namespace {

bool transitional(const std::string& state) { return state == "starting" || state == "stopping"; }

void take_string(const PropertyMap& changed, const char* name, std::string& into) {
    auto it = changed.find(name);
    if (it != changed.end() && it->second.containsValueOfType<std::string>()) into = it->second.get<std::string>();
}

}  // namespace

Verdict judge(const std::string& wanted, const std::string& state, bool moved) {
    if (state == wanted) return Verdict::Reached;
    if (transitional(state) || !moved) return Verdict::Waiting;
    return Verdict::Missed;
}

std::string wanted_state(const std::string& method, const std::string& state_before) {
    if (method == "Start") return "running";
    if (method == "Toggle") return state_before == "starting" || state_before == "running" ? "off" : "running";
    return "off";
}

VmFollower::VmFollower(const VmSnapshot& before, std::string wanted, std::ostream& out)
    : name_(before.name),
      wanted_(std::move(wanted)),
      initial_state_(before.state),
      state_(before.state),
      step_(before.step),
      last_error_(before.last_error),
      out_(out) {}

void VmFollower::apply(const PropertyMap& changed) {
    take_string(changed, "State", state_);
    take_string(changed, "Step", step_);
    take_string(changed, "LastError", last_error_);
    if (state_ != initial_state_) moved_ = true;
    if (changed.count("State") || changed.count("Step")) print_current();
}

void VmFollower::print_current() {
    std::string line = name_ + ": " + state_ + (step_.empty() ? "" : " (" + step_ + ")");
    if (line == last_line_) return;
    out_ << line << std::endl;
    last_line_ = line;
}

}  // namespace hotseat::ctl
