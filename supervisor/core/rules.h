// Which rules an observation fires: pure matching of a trigger and its subject against the
// rules of the config. fnmatch(3) globs, no I/O.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "hotseat/config.h"

namespace hotseat {

// What was observed, in the terms rules are written in.
struct Observation {
    Trigger trigger = Trigger::MonitorConnected;
    std::string card;       // monitor.*: "card0"
    std::string connector;  // monitor.*: "HDMI-A-1"
    // device.*: the device's udev properties; hotkey: the keyboard's; vm.stopped: VM, CAUSE, REASON
    const std::map<std::string, std::string>* properties = nullptr;
    const std::vector<std::string>* chords = nullptr;  // hotkey: the rules whose chord just completed
    // hotkey: the keyboard node; vm.stopped, vm.idle: the VM
    std::string subject;
    std::string syspath;  // device.*: the device (a hold on device.added follows this one device)
    // The VM whose guest helper reported it (a guest's connector); empty: the host saw it. A
    // guest's report only ever fires rules of its own VM (docs/guest-channel.md, rule `source`).
    std::string guest;

    // "monitor.connected HDMI-A-1", "device.removed 046d:c52b" — for RuleFired and the log.
    std::string describe() const;
};

bool glob_match(const std::string& pattern, const std::string& text);

// Every `match` glob fits the udev property of that name (a missing property fits nothing).
bool properties_match(const std::map<std::string, std::string>& match,
                      const std::map<std::string, std::string>& properties);
// A hotkey rule's `device` glob against the keyboard's /dev/input/by-id names (from DEVLINKS);
// an empty glob fits every keyboard.
bool keyboard_device_matches(const std::string& device, const std::map<std::string, std::string>& properties);
// A hotkey rule with this `match` and `device` may fire on a keyboard with these properties.
bool keyboard_fits(const std::map<std::string, std::string>& match, const std::string& device,
                   const std::map<std::string, std::string>& properties);
bool rule_matches(const Rule& rule, const Observation& observation);

// The udev properties of a USB device that the engine reads: its own (the ids and bus address of
// core/usb_device.h, DEVPATH for a description, DRIVER for the binding) and every name a rule's
// `match` names, sorted, each once. The udev adapter copies only these out of a uevent
// (docs/design.md, "What the udev adapter reads").
std::vector<std::string> usb_properties_read(const std::vector<Rule>& rules);

// The hotkey rules a VM's guest helper may fire (docs/guest-channel.md): the VM's own, not
// limited to the host (`source`), and not tied to a host keyboard (`device`, `match`: the
// guest's keyboards have no host udev properties). Their chords are what the helper is asked to
// watch, each once, in the order of the config, at most `max_chords`.
bool guest_may_fire(const Rule& rule, const std::string& vm);
std::vector<std::vector<std::string>> guest_hotkeys(const std::vector<Rule>& rules, const std::string& vm,
                                                    std::size_t max_chords);

}  // namespace hotseat
