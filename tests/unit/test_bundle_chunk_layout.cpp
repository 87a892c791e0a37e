// ChunkLayout: where an artifact bundle's chunks end, from each entry's
// size and content alone.
#include "uploader/bundle/chunk_layout.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <vector>

namespace uploader::bundle {
namespace {

struct Entry {
  std::uint64_t bytes;
  std::uint32_t hash;
};

// Entries of many sizes with varied hashes, reproducible.
std::vector<Entry> entries(std::uint32_t seed, std::size_t count,
                           std::uint64_t max_bytes) {
  std::vector<Entry> out;
  std::uint32_t x = seed * 2654435761u + 1;
  for (std::size_t i = 0; i < count; ++i) {
    x = x * 1664525u + 1013904223u;
    out.push_back({1 + (x >> 8) % max_bytes, x ^ (x >> 16)});
  }
  return out;
}

// The chunk lengths (in entries) the layout cuts `list` into, with the
// groups' byte counts.
struct Cut {
  std::vector<std::size_t> ends; // index after the last entry of each chunk
  std::vector<std::uint64_t> bytes;
};

Cut cut(const std::vector<Entry> &list, std::uint64_t chunk_size) {
  ChunkLayout layout(chunk_size);
  Cut result;
  std::uint64_t open = 0;
  auto close = [&](std::size_t end) {
    if (open > 0) {
      result.ends.push_back(end);
      result.bytes.push_back(open);
      open = 0;
    }
  };
  for (std::size_t i = 0; i < list.size(); ++i) {
    EntryCuts cuts = layout.place(list[i].bytes, list[i].hash);
    if (cuts.before) {
      close(i);
    }
    open += list[i].bytes;
    if (cuts.after) {
      close(i + 1);
    }
  }
  close(list.size());
  return result;
}

TEST(ChunkLayout, AnEntryOfAloneFromBytesGetsChunksOfItsOwn) {
  ChunkLayoutRule rule;
  ChunkLayout layout(8 * 1024 * 1024);
  EXPECT_FALSE(layout.place(100, 1).before);
  EntryCuts large = layout.place(rule.alone_from, 2);
  EXPECT_TRUE(large.before);
  EXPECT_TRUE(large.after);
  // Right after a cut there is nothing to end.
  EXPECT_FALSE(layout.place(rule.alone_from * 100, 3).before);
}

TEST(ChunkLayout, GroupsOfSmallEntriesStayWithinTheirBounds) {
  ChunkLayoutRule rule;
  std::vector<Entry> list = entries(7, 5000, rule.alone_from - 1);
  Cut result = cut(list, 8 * 1024 * 1024);
  ASSERT_GT(result.bytes.size(), 100u);
  std::size_t begin = 0;
  for (std::size_t i = 0; i < result.bytes.size(); ++i) {
    std::size_t end = result.ends[i];
    EXPECT_LE(result.bytes[i], rule.group_max) << "group " << i;
    bool last = i + 1 == result.bytes.size();
    // A group ends early only because the next entry would not fit.
    if (!last && result.bytes[i] < rule.group_min) {
      EXPECT_GT(result.bytes[i] + list[end].bytes, rule.group_max)
          << "group " << i;
    }
    EXPECT_GT(end, begin);
    begin = end;
  }
  // About half the hashes allow a boundary: groups hold a few entries.
  double mean = static_cast<double>(list.size()) /
                static_cast<double>(result.bytes.size());
  EXPECT_GT(mean, 1.5);
  EXPECT_LT(mean, 12.0);
}

TEST(ChunkLayout, BoundsAreCappedAtTheChunkSize) {
  Cut result = cut(entries(3, 2000, 4000), 1000);
  for (std::size_t i = 0; i < result.bytes.size(); ++i) {
    bool single =
        i == 0 ? result.ends[0] == 1 : result.ends[i] - result.ends[i - 1] == 1;
    // Only a single entry larger than a chunk may exceed it (the bundle
    // writer then cuts it at fixed offsets).
    EXPECT_TRUE(result.bytes[i] <= 1000 || single) << "chunk " << i;
  }
}

// A change in one entry moves boundaries only until the next boundary
// both layouts share: before it and after that, every chunk is the same.
TEST(ChunkLayout, AChangedEntryMovesOnlyTheBoundariesNearIt) {
  ChunkLayoutRule rule;
  std::vector<Entry> before = entries(11, 3000, rule.alone_from * 2);
  Cut a = cut(before, 8 * 1024 * 1024);
  for (std::size_t changed : {5u, 900u, 1700u, 2999u}) {
    std::vector<Entry> after = before;
    after[changed] = {after[changed].bytes / 2 + 1, after[changed].hash + 77};
    Cut b = cut(after, 8 * 1024 * 1024);
    std::vector<std::size_t> moved;
    std::ranges::set_symmetric_difference(a.ends, b.ends,
                                          std::back_inserter(moved));
    for (std::size_t end : moved) {
      EXPECT_GE(end, changed) << "changed entry " << changed;
      EXPECT_LE(end, changed + 64) << "changed entry " << changed;
    }
  }
}

TEST(ChunkLayout, TheSameEntriesGiveTheSameCuts) {
  std::vector<Entry> list = entries(5, 1000, 40000);
  EXPECT_EQ(cut(list, 8 * 1024 * 1024).ends, cut(list, 8 * 1024 * 1024).ends);
}

} // namespace
} // namespace uploader::bundle
