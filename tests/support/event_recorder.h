// Records the events an adapter hands its sink (the shell's Event variant), for the adapter tests
// of udev/, input/ and guest_channel/: what came, of which kind, how many. `also` sees each one
// as it arrives (to stop a loop once enough have come).
#pragma once

#include <cstddef>
#include <functional>
#include <variant>
#include <vector>

#include "hotseat/events.h"

namespace hotseat::test {

class EventRecorder {
public:
    std::function<void(Event)> sink() {
        return [this](Event e) {
            events.push_back(std::move(e));
            if (also) also(events.back());
        };
    }
    template <typename T>
    std::vector<T> all() const {
        std::vector<T> out;
        for (const auto& e : events)
            if (auto* v = std::get_if<T>(&e)) out.push_back(*v);
        return out;
    }
    template <typename T>
    std::size_t count() const {
        return all<T>().size();
    }
    template <typename T>
    bool has() const {
        return count<T>() > 0;
    }

    std::vector<Event> events;
    std::function<void(const Event&)> also;
};

}  // namespace hotseat::test
