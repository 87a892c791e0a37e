#include "uploader/releases/dates.hpp"

#include "uploader/util/strings.hpp"

#include <array>
#include <cctype>
#include <cstdio>

namespace uploader::releases {

namespace {

using namespace std::chrono;

// A cursor over the text being parsed; every reader returns false (and the
// caller gives up) on anything unexpected.
class Cursor {
public:
  explicit Cursor(std::string_view text) : m_text(text) {}

  bool done() const { return m_pos == m_text.size(); }
  char peek() const { return done() ? '\0' : m_text[m_pos]; }

  bool literal(char c) {
    if (peek() != c) {
      return false;
    }
    ++m_pos;
    return true;
  }

  void skip_spaces() {
    while (peek() == ' ' || peek() == '\t') {
      ++m_pos;
    }
  }

  // Exactly `min`..`max` decimal digits.
  bool number(int min, int max, int &out) {
    out = 0;
    int count = 0;
    while (count < max && std::isdigit(static_cast<unsigned char>(peek()))) {
      out = out * 10 + (peek() - '0');
      ++m_pos;
      ++count;
    }
    return count >= min;
  }

  std::string_view word() {
    size_t start = m_pos;
    while (std::isalpha(static_cast<unsigned char>(peek()))) {
      ++m_pos;
    }
    return m_text.substr(start, m_pos - start);
  }

private:
  std::string_view m_text;
  size_t m_pos = 0;
};

std::optional<sys_days> make_date(int y, int m, int d) {
  year_month_day date{year{y}, month{static_cast<unsigned>(m)},
                      day{static_cast<unsigned>(d)}};
  if (!date.ok()) {
    return std::nullopt;
  }
  return sys_days{date};
}

std::optional<seconds> make_time(int h, int m, int s) {
  // A leap second (:60) is folded into the next second, as chrono does.
  if (h > 23 || m > 59 || s > 60) {
    return std::nullopt;
  }
  return hours{h} + minutes{m} + seconds{s};
}

// "+hh:mm" (RFC 3339) or "+hhmm" (RFC 2822) as an offset east of UTC.
bool read_offset(Cursor &in, bool colon, minutes &offset) {
  int sign = in.literal('+') ? 1 : (in.literal('-') ? -1 : 0);
  int h = 0;
  int m = 0;
  if (sign == 0 || !in.number(2, 2, h) || (colon && !in.literal(':')) ||
      !in.number(2, 2, m) || h > 23 || m > 59) {
    return false;
  }
  offset = minutes{sign * (h * 60 + m)};
  return true;
}

std::optional<TimePoint> parse_unix(std::string_view text) {
  bool negative = text.starts_with('-');
  std::string_view digits = negative ? text.substr(1) : text;
  // Beyond 12 digits the year leaves chrono's (and Sentry's) range.
  if (digits.empty() || digits.size() > 12) {
    return std::nullopt;
  }
  long long value = 0;
  for (char c : digits) {
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return TimePoint{seconds{negative ? -value : value}};
}

std::optional<TimePoint> parse_rfc3339(std::string_view text) {
  Cursor in(text);
  int y = 0;
  int mo = 0;
  int d = 0;
  int h = 0;
  int mi = 0;
  int s = 0;
  if (!in.number(4, 4, y) || !in.literal('-') || !in.number(2, 2, mo) ||
      !in.literal('-') || !in.number(2, 2, d)) {
    return std::nullopt;
  }
  if (!in.literal('T') && !in.literal('t') && !in.literal(' ')) {
    return std::nullopt;
  }
  if (!in.number(2, 2, h) || !in.literal(':') || !in.number(2, 2, mi) ||
      !in.literal(':') || !in.number(2, 2, s)) {
    return std::nullopt;
  }
  microseconds fraction{0};
  if (in.literal('.')) {
    int digits = 0;
    long long micros = 0;
    while (std::isdigit(static_cast<unsigned char>(in.peek()))) {
      if (digits < 6) {
        micros = micros * 10 + (in.peek() - '0');
      }
      in.literal(in.peek());
      ++digits;
    }
    if (digits == 0) {
      return std::nullopt;
    }
    for (int i = digits; i < 6; ++i) {
      micros *= 10;
    }
    fraction = microseconds{micros};
  }
  minutes offset{0};
  if (!in.literal('Z') && !in.literal('z') && !read_offset(in, true, offset)) {
    return std::nullopt;
  }
  auto date = make_date(y, mo, d);
  auto time = make_time(h, mi, s);
  if (!in.done() || !date || !time) {
    return std::nullopt;
  }
  return TimePoint{*date} + *time + fraction - offset;
}

int month_number(std::string_view name) {
  static constexpr std::array<std::string_view, 12> k_months{
      "jan", "feb", "mar", "apr", "may", "jun",
      "jul", "aug", "sep", "oct", "nov", "dec"};
  std::string lower = util::ascii_lower(name);
  for (size_t i = 0; i < k_months.size(); ++i) {
    if (lower == k_months[i]) {
      return static_cast<int>(i) + 1;
    }
  }
  return 0;
}

// RFC 2822 §4.3 obsolete zone names; unknown letters mean "-0000" (UTC).
std::optional<minutes> named_zone(std::string_view name) {
  std::string upper;
  for (char c : name) {
    upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  static constexpr std::array<std::pair<std::string_view, int>, 11> k_zones{{
      {"UT", 0},
      {"UTC", 0},
      {"GMT", 0},
      {"EST", -5},
      {"EDT", -4},
      {"CST", -6},
      {"CDT", -5},
      {"MST", -7},
      {"MDT", -6},
      {"PST", -8},
      {"PDT", -7},
  }};
  for (auto [zone, hours_east] : k_zones) {
    if (upper == zone) {
      return minutes{hours_east * 60};
    }
  }
  if (upper.size() == 1) {
    return minutes{0};
  }
  return std::nullopt;
}

std::optional<TimePoint> parse_rfc2822(std::string_view text) {
  Cursor in(text);
  in.skip_spaces();
  if (std::isalpha(static_cast<unsigned char>(in.peek()))) {
    in.word(); // the day of the week is informational
    if (!in.literal(',')) {
      return std::nullopt;
    }
    in.skip_spaces();
  }
  int d = 0;
  int y = 0;
  int h = 0;
  int mi = 0;
  int s = 0;
  if (!in.number(1, 2, d)) {
    return std::nullopt;
  }
  in.skip_spaces();
  int mo = month_number(in.word());
  in.skip_spaces();
  if (mo == 0 || !in.number(2, 4, y)) {
    return std::nullopt;
  }
  if (y < 50) { // two-digit years, RFC 2822 §4.3
    y += 2000;
  } else if (y < 1000) {
    y += 1900;
  }
  in.skip_spaces();
  if (!in.number(2, 2, h) || !in.literal(':') || !in.number(2, 2, mi)) {
    return std::nullopt;
  }
  if (in.literal(':') && !in.number(2, 2, s)) {
    return std::nullopt;
  }
  in.skip_spaces();
  minutes offset{0};
  if (in.peek() == '+' || in.peek() == '-') {
    if (!read_offset(in, false, offset)) {
      return std::nullopt;
    }
  } else if (auto zone = named_zone(in.word())) {
    offset = *zone;
  } else {
    return std::nullopt;
  }
  in.skip_spaces();
  auto date = make_date(y, mo, d);
  auto time = make_time(h, mi, s);
  if (!in.done() || !date || !time) {
    return std::nullopt;
  }
  return TimePoint{*date} + *time - offset;
}

} // namespace

std::string format_rfc3339(TimePoint when) {
  sys_days day = floor<days>(when);
  year_month_day date{day};
  hh_mm_ss time{when - day};
  long long micros = time.subseconds().count();
  char buffer[64];
  int n = std::snprintf(
      buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d",
      static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
      static_cast<unsigned>(date.day()), static_cast<int>(time.hours().count()),
      static_cast<int>(time.minutes().count()),
      static_cast<int>(time.seconds().count()));
  std::string out(buffer, static_cast<size_t>(n));
  if (micros % 1000 == 0 && micros != 0) {
    std::snprintf(buffer, sizeof buffer, ".%03lld", micros / 1000);
    out += buffer;
  } else if (micros != 0) {
    std::snprintf(buffer, sizeof buffer, ".%06lld", micros);
    out += buffer;
  }
  return out + "Z";
}

TimePoint now() { return floor<microseconds>(system_clock::now()); }

std::optional<TimePoint> parse_timestamp(std::string_view text) {
  if (auto unix_time = parse_unix(text)) {
    return unix_time;
  }
  if (auto rfc3339 = parse_rfc3339(text)) {
    return rfc3339;
  }
  return parse_rfc2822(text);
}

} // namespace uploader::releases
