#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace uploader::releases {

using TimePoint = std::chrono::sys_time<std::chrono::microseconds>;

// Formats `when` as RFC 3339 in UTC the way sentry-cli's chrono does
// (SecondsFormat::AutoSi): no fraction for whole seconds, else 3 or 6
// digits, and a `Z`, e.g. "2026-06-29T13:28:57.123456Z".
std::string format_rfc3339(TimePoint when);

// The current time at microsecond precision.
TimePoint now();

// Parses a timestamp given on the command line, as sentry-cli accepts it: a
// Unix time in seconds ("1700000000"), RFC 3339 ("2023-11-14T22:13:20Z",
// "2023-11-14T23:13:20.5+01:00") or RFC 2822 ("Tue, 14 Nov 2023 22:13:20
// +0000"). Returns nullopt for anything else.
std::optional<TimePoint> parse_timestamp(std::string_view text);

} // namespace uploader::releases
