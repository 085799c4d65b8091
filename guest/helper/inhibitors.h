// What holds a desktop from going idle although nobody types (docs/guest-channel.md):
// audio playing (an ALSA PCM playback substream in state RUNNING) and a logind idle inhibitor
// (BlockInhibited containing "idle", as video players and games take). Each is read when asked;
// neither has an event to wait for, so the helper asks every few seconds.
#pragma once

#include <string>
#include <vector>

struct sd_bus;

namespace hotseat::guest {

// "audio playing (card0 pcm0p)" for the first playback substream whose status reads
// "state: RUNNING" under `asound_root` (/proc/asound: card*/pcm*p/sub*/status); empty when none.
std::string audio_playing(const std::string& asound_root);

// "idle inhibitor: WHO (WHY)" when logind's BlockInhibited names idle, with who and why from
// ListInhibitors (just "idle inhibitor" when that fails); empty when nothing blocks idle.
// `error` says why logind could not be asked (no logind: empty result).
std::string logind_idle_inhibitor(sd_bus* system_bus, std::string* error);

// The reasons joined with "; ", cut to at most `max_bytes` on a character boundary.
std::string join_reasons(const std::vector<std::string>& reasons, std::size_t max_bytes);

}  // namespace hotseat::guest
