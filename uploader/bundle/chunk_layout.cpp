#include "uploader/bundle/chunk_layout.hpp"

#include <algorithm>

namespace uploader::bundle {

namespace {

// A CRC-32's low bits are not uniform enough across similar texts to pick
// boundaries from; mix them first (the SplitMix64 finaliser).
std::uint64_t mixed(std::uint32_t hash) {
  std::uint64_t x = hash + 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

} // namespace

ChunkLayout::ChunkLayout(std::uint64_t chunk_size, ChunkLayoutRule rule)
    : m_rule(rule) {
  m_rule.group_max = std::min(m_rule.group_max, chunk_size);
  m_rule.group_min = std::min(m_rule.group_min, m_rule.group_max);
  m_rule.alone_from = std::min(m_rule.alone_from, m_rule.group_max);
}

EntryCuts ChunkLayout::place(std::uint64_t bytes, std::uint32_t content_hash) {
  EntryCuts cuts;
  if (bytes >= m_rule.alone_from) {
    cuts.before = m_group_open;
    cuts.after = true;
    m_group_open = false;
    m_group_bytes = 0;
    return cuts;
  }
  if (m_group_open && m_group_bytes + bytes > m_rule.group_max) {
    cuts.before = true;
    m_group_bytes = 0;
  }
  m_group_open = true;
  m_group_bytes += bytes;
  if (m_group_bytes >= m_rule.group_min &&
      (mixed(content_hash) & m_rule.boundary_mask) == 0) {
    cuts.after = true;
    m_group_open = false;
    m_group_bytes = 0;
  }
  return cuts;
}

} // namespace uploader::bundle
