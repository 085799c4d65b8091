// One org.freedesktop.DBus.Properties.PropertiesChanged signal, built value by value as an
// object's one setter finds what changed, and sent once: every bus object emits through this.
//
// sd-bus's generic emit (sd_bus_emit_properties_changed, what sdbus-c++'s
// emitPropertiesChangedSignal calls) looks every name up in the object's vtable and calls the
// adaptor's getter for each through sdbus-c++'s callback glue. The setter already holds each new
// value, so here it appends it: the same message (changed values in the order added, no
// invalidated names) for a third fewer instructions per VM state change, which is on every
// trigger's way to the bus (docs/benchmarks.md, "Trigger latency on real netlink").
#pragma once

#include <sdbus-c++/sdbus-c++.h>

#include <optional>
#include <string>

namespace hotseat::dbus {

class PropertiesChanged {
public:
    PropertiesChanged(sdbus::IObject& object, const char* interface) : object_(object), interface_(interface) {}

    // Appends `name` with `value`, whose D-Bus type is `signature` (the one the XML declares).
    // Never throws: a failure is kept for emit() to report, so the setter still stores every value.
    template <typename T>
    void add(const char* name, const char* signature, const T& value) {
        if (!error_.empty()) return;
        try {
            begin();
            signal_->openDictEntry("sv");
            *signal_ << name;
            signal_->openVariant(signature);
            *signal_ << value;
            signal_->closeVariant();
            signal_->closeDictEntry();
        } catch (const sdbus::Error& e) {
            error_ = std::string(name) + ": " + e.getMessage();
        }
    }

    // Stores `next` into `stored` and appends it, as the getter hands it out (`to_bus`), when
    // they differ.
    template <typename T, typename ToBus>
    void store(T& stored, const T& next, const char* name, const char* signature, ToBus to_bus) {
        if (stored == next) return;
        stored = next;
        add(name, signature, to_bus(stored));
    }
    template <typename T>
    void store(T& stored, const T& next, const char* name, const char* signature) {
        store(stored, next, name, signature, [](const T& value) -> const T& { return value; });
    }

    // Sends the signal; nothing when nothing was added. Returns why it was not sent, or "".
    std::string emit();

private:
    void begin();

    sdbus::IObject& object_;
    const char* interface_;
    std::optional<sdbus::Signal> signal_;
    std::string error_;
};

}  // namespace hotseat::dbus
