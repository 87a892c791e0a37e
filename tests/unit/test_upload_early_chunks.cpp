// EarlyChunkSender: chunks of a bundle still being written are asked about
// and sent on one thread, only those the server lacks.
#include "uploader/upload/early_chunks.hpp"
#include "uploader/util/error.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace uploader::upload {
namespace {

struct FakeServer {
  std::mutex mutex;
  std::set<std::string> held;
  std::vector<std::vector<std::string>> questions;
  std::vector<std::string> sent;
  bool can_say = true;
  bool fail_sending = false;

  EarlyChunkSending how(std::uint64_t start_bytes) {
    EarlyChunkSending how;
    how.start_bytes = start_bytes;
    how.batch_bytes = 1000;
    how.batch_chunks = 4;
    how.missing = [this](const std::vector<std::string> &chunks)
        -> std::optional<std::vector<std::string>> {
      std::lock_guard lock(mutex);
      questions.push_back(chunks);
      if (!can_say) {
        return std::nullopt;
      }
      std::vector<std::string> missing;
      for (const auto &chunk : chunks) {
        if (!held.contains(chunk)) {
          missing.push_back(chunk);
        }
      }
      return missing;
    };
    how.send = [this](const std::filesystem::path &file,
                      const std::vector<bundle::Chunk> &chunks) {
      EXPECT_EQ(file, "bundle.zip");
      if (fail_sending) {
        throw Error("the chunk upload endpoint answered 502");
      }
      std::lock_guard lock(mutex);
      for (const auto &chunk : chunks) {
        sent.push_back(chunk.sha1);
        held.insert(chunk.sha1);
      }
    };
    return how;
  }
};

// Waits (generously: a busy machine is no failure) until the sending
// thread has done what the test needs; the test then checks the result.
template <class Predicate> void wait_until(FakeServer &server, Predicate done) {
  for (int i = 0; i < 3000; ++i) {
    {
      std::lock_guard lock(server.mutex);
      if (done()) {
        return;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::size_t asked(const FakeServer &server) {
  std::size_t count = 0;
  for (const auto &question : server.questions) {
    count += question.size();
  }
  return count;
}

bundle::Chunk chunk(int i) {
  return {std::string(40, static_cast<char>('a' + i % 6)) + std::to_string(i),
          static_cast<std::uint64_t>(i) * 100, 100};
}

TEST(EarlyChunkSender, AColdServerGetsEveryChunkOnceInOrder) {
  FakeServer server;
  std::vector<std::string> expected;
  EarlyChunksSent sent;
  {
    EarlyChunkSender sender(server.how(100), "bundle.zip");
    for (int i = 0; i < 20; ++i) {
      sender.ready(chunk(i));
    }
    // finish() sends what still waits: sending began with the first chunk.
    sent = sender.finish();
  }
  ASSERT_EQ(server.sent.size(), 20u);
  for (const auto &question : server.questions) {
    EXPECT_LE(question.size(), 4u); // batch_chunks
    EXPECT_LE(question.size() * 100, 1000u);
  }
  EXPECT_EQ(asked(server), 20u);
  for (std::size_t i = 0; i < server.sent.size(); ++i) {
    EXPECT_EQ(server.sent[i], chunk(static_cast<int>(i)).sha1);
  }
  EXPECT_EQ(sent.chunks, 20u);
  EXPECT_EQ(sent.bytes, 2000u);
}

TEST(EarlyChunkSender, WhatTheServerHoldsIsNotSent) {
  FakeServer server;
  for (int i = 0; i < 20; i += 2) {
    server.held.insert(chunk(i).sha1);
  }
  EarlyChunkSender sender(server.how(100), "bundle.zip");
  for (int i = 0; i < 20; ++i) {
    sender.ready(chunk(i));
  }
  wait_until(server, [&] { return asked(server) == 20; });
  EarlyChunksSent sent = sender.finish();
  ASSERT_EQ(asked(server), 20u);
  std::vector<std::string> odd;
  for (int i = 1; i < 20; i += 2) {
    odd.push_back(chunk(i).sha1);
  }
  EXPECT_EQ(server.sent, odd);
  EXPECT_EQ(sent.chunks, 10u);
  EXPECT_EQ(sent.bytes, 1000u);
}

TEST(EarlyChunkSender, ASmallBundleIsNeverAskedAbout) {
  FakeServer server;
  EarlyChunkSender sender(server.how(10'000), "bundle.zip");
  for (int i = 0; i < 20; ++i) {
    sender.ready(chunk(i));
  }
  EarlyChunksSent sent = sender.finish();
  EXPECT_TRUE(server.questions.empty());
  EXPECT_TRUE(server.sent.empty());
  EXPECT_EQ(sent.chunks, 0u);
  EXPECT_EQ(sent.bytes, 0u);
}

TEST(EarlyChunkSender, AServerThatCannotSayGetsNothingEarly) {
  FakeServer server;
  server.can_say = false;
  EarlyChunkSender sender(server.how(100), "bundle.zip");
  sender.ready(chunk(0));
  wait_until(server, [&] { return !server.questions.empty(); });
  for (int i = 1; i < 20; ++i) {
    sender.ready(chunk(i));
  }
  EarlyChunksSent sent = sender.finish();
  // One question, then nothing more: the assemble call does it all.
  EXPECT_EQ(server.questions.size(), 1u);
  EXPECT_TRUE(server.sent.empty());
  EXPECT_EQ(sent.chunks, 0u);
}

TEST(EarlyChunkSender, AFailedUploadIsRethrownByFinish) {
  FakeServer server;
  server.fail_sending = true;
  EarlyChunkSender sender(server.how(100), "bundle.zip");
  sender.ready(chunk(0));
  wait_until(server, [&] { return !server.questions.empty(); });
  try {
    sender.finish();
    ADD_FAILURE() << "finish() did not rethrow";
  } catch (const Error &error) {
    EXPECT_STREQ(error.what(), "the chunk upload endpoint answered 502");
  }
  EXPECT_EQ(server.questions.size(), 1u);
  EXPECT_TRUE(server.sent.empty());
}

TEST(EarlyChunkSender, DestroyingWithoutFinishStopsTheThread) {
  FakeServer server;
  {
    EarlyChunkSender sender(server.how(100), "bundle.zip");
    sender.ready(chunk(0));
    wait_until(server, [&] { return !server.sent.empty(); });
    sender.ready(chunk(1));
    sender.ready(chunk(2));
  }
  // An unfinished bundle: what waited is not sent, and the thread was
  // joined, so nothing runs on after the sender is gone.
  std::lock_guard lock(server.mutex);
  EXPECT_LE(server.sent.size(), 3u);
  EXPECT_GE(server.sent.size(), 1u);
}

} // namespace
} // namespace uploader::upload
