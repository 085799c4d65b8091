#include "guest_channel/channels.h"

#include "log.h"

namespace hotseat::guest_channel {

Channels::~Channels() { sd_event_source_disable_unref(reaper_); }

void Channels::execute(const OpenGuestChannel& effect) {
    retire(effect.vm);  // a new path (the domain restarted): start over
    channels_[effect.vm] = std::make_unique<Channel>(loop_, effect.vm, effect.path, sink_);
}

void Channels::execute(const CloseGuestChannel& effect) { retire(effect.vm); }

void Channels::retire(const std::string& vm) {
    auto it = channels_.find(vm);
    if (it == channels_.end()) return;
    it->second->shut();
    retired_.push_back(std::move(it->second));
    channels_.erase(it);
    if (!reaper_) {
        if (sd_event_add_defer(loop_, &reaper_, on_reap, this) < 0) log::error("cannot arm the channel reaper");
        return;
    }
    sd_event_source_set_enabled(reaper_, SD_EVENT_ONESHOT);
}

int Channels::on_reap(sd_event_source*, void* self) {
    static_cast<Channels*>(self)->retired_.clear();
    return 0;
}

}  // namespace hotseat::guest_channel
