// Every running VM's guest channel, opened and closed as the engine says (OpenGuestChannel,
// CloseGuestChannel). Owned by the daemon; lives on the sd-event loop thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "guest_channel/channel.h"
#include "hotseat/effects.h"
#include "util/sd_handles.h"

namespace hotseat::guest_channel {

// The line a notice for the guest is on the wire (guest/protocol.h, protocol 2).
std::string encode_notice(const GuestNotice& notice);

class Channels {
public:
    Channels(sd_event* loop, Sink sink) : loop_(loop), sink_(std::move(sink)) {}
    Channels(const Channels&) = delete;
    Channels& operator=(const Channels&) = delete;

    void execute(const OpenGuestChannel& effect);
    void execute(const CloseGuestChannel& effect);
    void execute(const SendGuest& effect);  // no channel for the VM: dropped

private:
    void retire(const std::string& vm);
    static int on_reap(sd_event_source*, void* self);

    sd_event* loop_;
    Sink sink_;
    std::map<std::string, std::unique_ptr<Channel>> channels_;
    // Closed channels, destroyed on the next loop iteration: a close can come from inside one
    // of their own callbacks (a guest report fires a rule that stops the VM).
    std::vector<std::unique_ptr<Channel>> retired_;
    util::EventSource reaper_;
};

}  // namespace hotseat::guest_channel
