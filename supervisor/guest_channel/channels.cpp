#include "guest_channel/channels.h"

#include <time.h>

#include <type_traits>

#include "log.h"

namespace hotseat::guest_channel {

void Channels::execute(const OpenGuestChannel& effect) {
    retire(effect.vm);  // a new path (the domain restarted): start over
    channels_[effect.vm] = std::make_unique<Channel>(loop_, effect.vm, effect.path, sink_);
}

void Channels::execute(const CloseGuestChannel& effect) { retire(effect.vm); }

void Channels::execute(const SendGuest& effect) {
    auto it = channels_.find(effect.vm);
    if (it == channels_.end()) return;
    it->second->send(encode_notice(effect.notice));
}

std::string encode_notice(const GuestNotice& notice) {
    return guest::encode_host(std::visit(
        [](const auto& n) -> guest::HostMessage {
            using T = std::decay_t<decltype(n)>;
            if constexpr (std::is_same_v<T, GuestWelcome>) {
                return guest::HostHello{n.protocol, HOTSEAT_VERSION, n.hotkeys};
            } else if constexpr (std::is_same_v<T, GuestStopPending>) {
                // The guest's clock may be off: it also gets how long from now, by the host's clock.
                timespec wall{};
                clock_gettime(CLOCK_REALTIME, &wall);
                auto now_us = static_cast<std::uint64_t>(wall.tv_sec) * 1'000'000 +
                              static_cast<std::uint64_t>(wall.tv_nsec) / 1000;
                std::uint64_t in_ms = n.deadline_us > now_us ? (n.deadline_us - now_us) / 1000 : 0;
                return guest::StopPending{n.deadline_us, in_ms, n.action, n.reason};
            } else {
                return guest::StopCancelled{};
            }
        },
        notice));
}

void Channels::retire(const std::string& vm) {
    auto it = channels_.find(vm);
    if (it == channels_.end()) return;
    it->second->shut();
    retired_.push_back(std::move(it->second));
    channels_.erase(it);
    if (!reaper_) {
        if (sd_event_add_defer(loop_, util::out_ptr(reaper_), on_reap, this) < 0)
            log::error("cannot arm the channel reaper");
        return;
    }
    sd_event_source_set_enabled(reaper_.get(), SD_EVENT_ONESHOT);
}

int Channels::on_reap(sd_event_source*, void* self) {
    static_cast<Channels*>(self)->retired_.clear();
    return 0;
}

}  // namespace hotseat::guest_channel
