// The upload pipeline against an in-process stand-in for Sentry: what is
// deleted, rewritten or parked, and when, for a failure at every step.
#include "uploader/upload/pipeline.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <set>

#include "test_helpers.hpp"

namespace {

namespace fs = std::filesystem;
using namespace uploader;
using nlohmann::json;

// The protocol steps a fault can be put on.
enum class Step {
  options,        // GET chunk-upload
  chunks,         // POST chunk-upload
  assemble,       // POST artifactbundle/assemble (HTTP status)
  assemble_state, // ... answered with state "error"
  release_create, // POST releases/
  release_update, // PUT releases/{v}/ (finalize)
  deploy,         // POST releases/{v}/deploys/
};

// Answers the requests of an artifact-bundle upload as Sentry does: it
// lacks every chunk until it was sent, and says `ok` once all are there.
// `on_ok` runs just before an `ok` answer leaves, so a test can look at
// the folder at the moment Sentry confirmed.
class FakeSentry : public http::Transport {
public:
  std::map<Step, long> faults;
  std::function<void()> on_ok;
  std::vector<std::string> log;       // "METHOD path"
  std::vector<std::string> assembled; // checksums answered `ok`
  std::set<std::string> chunks;       // received SHA-1s

  http::Response send(const http::Request &request) override {
    std::string method = request.method;
    std::string path = request.url.substr(request.url.find("/api/0/") + 7);
    log.push_back(method + " " + path);
    if (path == "organizations/acme/chunk-upload/") {
      if (method == "GET") {
        return answer(Step::options,
                      json{{"url", "organizations/acme/chunk-upload/"},
                           {"chunkSize", 8 * 1024 * 1024},
                           {"chunksPerRequest", 64},
                           {"maxRequestSize", 32 * 1024 * 1024},
                           {"concurrency", 1},
                           {"hashAlgorithm", "sha1"},
                           {"accept", {"artifact_bundles_v2"}}});
      }
      for (const auto &part : request.parts) {
        chunks.insert(part.filename);
      }
      return answer(Step::chunks, json::object());
    }
    if (path == "organizations/acme/artifactbundle/assemble/") {
      json body = json::parse(request.body);
      json missing = json::array();
      for (const auto &sha : body["chunks"]) {
        if (!chunks.contains(sha.get<std::string>())) {
          missing.push_back(sha);
        }
      }
      if (!missing.empty()) {
        return answer(Step::assemble,
                      json{{"state", "not_found"}, {"missingChunks", missing}});
      }
      if (faults.contains(Step::assemble_state)) {
        return reply(200, json{{"state", "error"}, {"detail", "broken zip"}});
      }
      if (auto fault = faults.find(Step::assemble); fault != faults.end()) {
        return reply(fault->second, json::object());
      }
      if (on_ok) {
        on_ok();
      }
      assembled.push_back(body["checksum"]);
      return reply(200,
                   json{{"state", "ok"}, {"missingChunks", json::array()}});
    }
    if (path == "organizations/acme/releases/") {
      return answer(Step::release_create, json{{"version", "1.0"}}, 201);
    }
    if (path == "organizations/acme/releases/1.0/deploys/") {
      return answer(Step::deploy, json{{"id", "1"}}, 201);
    }
    if (path == "organizations/acme/releases/1.0/") {
      return answer(Step::release_update, json{{"version", "1.0"}});
    }
    return reply(404, json{{"detail", "no such endpoint: " + path}});
  }

  std::vector<http::Response>
  send_all(const std::vector<http::Request> &requests, size_t) override {
    std::vector<http::Response> responses;
    for (const auto &request : requests) {
      responses.push_back(send(request));
    }
    return responses;
  }

private:
  http::Response answer(Step step, const json &body, long status = 200) {
    auto fault = faults.find(step);
    return fault == faults.end() ? reply(status, body)
                                 : reply(fault->second, json::object());
  }

  static http::Response reply(long status, const json &body) {
    http::Response response;
    response.status = status;
    response.body = body.dump();
    response.headers.emplace_back("content-type", "application/json");
    return response;
  }
};

// Every file under `root` with its bytes and permissions.
using Snapshot = std::map<std::string, std::pair<std::string, fs::perms>>;

Snapshot snapshot(const fs::path &root) {
  Snapshot files;
  for (const auto &entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) {
      files[fs::relative(entry.path(), root).generic_string()] = {
          util::read_file(entry.path()), entry.status().permissions()};
    }
  }
  return files;
}

void write(const fs::path &path, std::string_view text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

class UploadPipeline : public ::testing::Test {
protected:
  void SetUp() override {
    m_root = fs::temp_directory_path() /
             ("pipeline-" + test_helpers::process_id() + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(m_root);
    m_dist = m_root / "dist";
    write(m_dist / "app.js", "function f(){throw new Error('x')}\n"
                             "//# sourceMappingURL=app.js.map\n");
    write(m_dist / "app.js.map",
          R"({"version":3,"file":"app.js","sources":["src/a.js"],)"
          R"("names":[],"mappings":"AAAA"})");
    write(m_dist / "chunks/b.js", "var b=1;\n//# sourceMappingURL=b.js.map\n");
    write(
        m_dist / "chunks/b.js.map",
        R"({"version":3,"sources":["src/b.js"],"names":[],"mappings":"AAAA"})");
  }

  void TearDown() override {
    if (!HasFailure()) {
      fs::remove_all(m_root);
    }
  }

  upload::UploadRequest request() const {
    upload::UploadRequest r;
    r.plan.roots = {m_dist.string()};
    r.target.org = "acme";
    r.target.projects = {"web"};
    r.server_url = "http://sentry.invalid/";
    r.retry.max_retries = 0;
    r.bundles.transfer.poll_interval = std::chrono::milliseconds(1);
    r.inject = true;
    r.delete_after = true;
    r.getenv = [](const std::string &) { return std::nullopt; };
    r.git = [](const std::vector<std::string> &) { return std::nullopt; };
    return r;
  }

  upload::UploadReport run(const upload::UploadRequest &r) {
    upload::Progress progress(false);
    return upload::run_upload(r, m_sentry, progress);
  }

  fs::path m_root;
  fs::path m_dist;
  FakeSentry m_sentry;
};

TEST_F(UploadPipeline, DeletesMapsAndCommentsOnlyAfterSentrySaidOk) {
  bool maps_present_at_ok = false;
  m_sentry.on_ok = [&] {
    maps_present_at_ok = fs::exists(m_dist / "app.js.map") &&
                         fs::exists(m_dist / "chunks/b.js.map");
  };
  upload::UploadReport report = run(request());
  EXPECT_EQ(report.outcome, "ok");
  EXPECT_TRUE(maps_present_at_ok);
  ASSERT_EQ(m_sentry.assembled.size(), 1u);
  EXPECT_EQ(m_sentry.assembled[0], report.bundles.at(0).bundle.checksum);
  EXPECT_FALSE(fs::exists(m_dist / "app.js.map"));
  EXPECT_FALSE(fs::exists(m_dist / "chunks/b.js.map"));
  EXPECT_EQ(report.deleted.size(), 2u);
  std::string js = util::read_file(m_dist / "app.js");
  EXPECT_EQ(js.find("sourceMappingURL"), std::string::npos);
  EXPECT_NE(js.find("//# debugId="), std::string::npos); // injected
}

struct StepFault {
  Step step;
  long status;
  const char *name;
};

class UploadPipelineFault : public UploadPipeline,
                            public ::testing::WithParamInterface<StepFault> {};

// A failure at any step, before or after the bundle was confirmed, leaves
// the folder exactly as the (injected) build left it: nothing deleted,
// nothing stripped, nothing parked.
TEST_P(UploadPipelineFault, LeavesTheFolderByteForByteAsItWas) {
  upload::UploadRequest r = request();
  r.inject = false;
  r.target.release = "1.0";
  r.release_steps.create = true;
  r.release_steps.finalize = true;
  r.release_steps.deploy_environment = "production";
  Snapshot before = snapshot(m_dist);
  m_sentry.faults[GetParam().step] = GetParam().status;
  EXPECT_THROW(run(r), Error);
  EXPECT_EQ(snapshot(m_dist), before);
  EXPECT_TRUE(m_sentry.assembled.empty() ||
              GetParam().step == Step::release_update ||
              GetParam().step == Step::deploy);
}

INSTANTIATE_TEST_SUITE_P(
    EveryStep, UploadPipelineFault,
    ::testing::Values(StepFault{Step::options, 500, "options_500"},
                      StepFault{Step::options, 401, "options_401"},
                      StepFault{Step::release_create, 500, "release_500"},
                      StepFault{Step::chunks, 500, "chunks_500"},
                      StepFault{Step::chunks, 413, "chunks_413"},
                      StepFault{Step::assemble, 502, "assemble_502"},
                      StepFault{Step::assemble_state, 200, "assemble_error"},
                      StepFault{Step::release_update, 500, "finalize_500"},
                      StepFault{Step::deploy, 500, "deploy_500"}),
    [](const auto &param_info) { return std::string(param_info.param.name); });

TEST_F(UploadPipeline, AFailedInjectChangesNoFileAndSendsNothing) {
  write(m_dist / "chunks/b.js.map", "{ not json");
  Snapshot before = snapshot(m_dist);
  EXPECT_THROW(run(request()), Error);
  EXPECT_EQ(snapshot(m_dist), before);
  EXPECT_TRUE(m_sentry.log.empty());
}

TEST_F(UploadPipeline, DryRunSendsNothingAndChangesNothing) {
  upload::UploadRequest r = request();
  r.dry_run = true;
  Snapshot before = snapshot(m_dist);
  upload::UploadReport report = run(r);
  EXPECT_EQ(report.outcome, "dry run");
  EXPECT_EQ(report.bundles.size(), 1u);
  EXPECT_TRUE(m_sentry.log.empty());
  EXPECT_EQ(snapshot(m_dist), before);
}

TEST_F(UploadPipeline, WarnParksTheMapsAndTheNextRunSendsThemFirst) {
  upload::UploadRequest r = request();
  r.on_failure = upload::OnFailure::warn;
  r.pending_dir = m_root / "pending";
  m_sentry.faults[Step::chunks] = 500;
  upload::UploadReport failed = run(r);
  EXPECT_EQ(failed.outcome, "failed, maps parked");
  EXPECT_EQ(failed.parked.size(), 2u);
  EXPECT_TRUE(failed.error.has_value());
  // Not deployed: the maps left dist/, the comments pointing at them too.
  EXPECT_FALSE(fs::exists(m_dist / "app.js.map"));
  EXPECT_FALSE(fs::exists(m_dist / "chunks/b.js.map"));
  EXPECT_EQ(util::read_file(m_dist / "app.js").find("sourceMappingURL"),
            std::string::npos);
  EXPECT_FALSE(snapshot(*r.pending_dir).empty());
  EXPECT_TRUE(m_sentry.assembled.empty());

  // The next build brings new maps; the parked ones go first.
  write(m_dist / "c.js", "var c=1;\n//# sourceMappingURL=c.js.map\n");
  write(m_dist / "c.js.map",
        R"({"version":3,"sources":["src/c.js"],"names":[],"mappings":"AAAA"})");
  m_sentry.faults.clear();
  upload::UploadReport next = run(r);
  EXPECT_EQ(next.outcome, "ok");
  ASSERT_EQ(next.bundles.size(), 2u);
  ASSERT_EQ(m_sentry.assembled.size(), 2u);
  EXPECT_EQ(m_sentry.assembled[0], next.bundles[0].bundle.checksum);
  std::set<std::string> parked_urls;
  for (const auto &file : next.bundles[0].bundle.files) {
    parked_urls.insert(file.url);
  }
  EXPECT_TRUE(parked_urls.contains("~/app.js.map"));
  EXPECT_TRUE(parked_urls.contains("~/chunks/b.js.map"));
  EXPECT_FALSE(parked_urls.contains("~/c.js.map"));
  EXPECT_FALSE(fs::exists(m_dist / "c.js.map"));
  EXPECT_TRUE(snapshot(*r.pending_dir).empty());
}

TEST_F(UploadPipeline, WarnStillStopsOnATokenProblemWithoutParking) {
  upload::UploadRequest r = request();
  r.inject = false;
  r.target.release = "1.0";
  r.on_failure = upload::OnFailure::warn;
  r.pending_dir = m_root / "pending";
  m_sentry.faults[Step::options] = 403;
  Snapshot before = snapshot(m_dist);
  EXPECT_THROW(run(r), AuthError);
  EXPECT_EQ(snapshot(m_dist), before);
  EXPECT_FALSE(fs::exists(*r.pending_dir) && !snapshot(*r.pending_dir).empty());
}

TEST_F(UploadPipeline, DeleteAfterWithoutWaitingIsRefusedBeforeAnything) {
  upload::UploadRequest r = request();
  r.bundles.transfer.wait = false;
  Snapshot before = snapshot(m_dist);
  EXPECT_THROW(run(r), UsageError);
  EXPECT_TRUE(m_sentry.log.empty());
  EXPECT_EQ(snapshot(m_dist), before);
}

TEST_F(UploadPipeline, AnUnchangedStampSendsNothing) {
  upload::UploadRequest r = request();
  r.delete_after = false;
  r.stamp_file = m_root / "stamp";
  EXPECT_EQ(run(r).outcome, "ok");
  size_t requests = m_sentry.log.size();
  EXPECT_GT(requests, 0u);
  EXPECT_EQ(run(r).outcome, "unchanged");
  EXPECT_EQ(m_sentry.log.size(), requests);
  // A changed file uploads again.
  write(m_dist / "chunks/b.js", "var b=2;\n//# sourceMappingURL=b.js.map\n");
  EXPECT_EQ(run(r).outcome, "ok");
  EXPECT_GT(m_sentry.log.size(), requests);
}

TEST_F(UploadPipeline, NoDebugIdsAndNoReleaseIsRefusedBeforeAnyRequest) {
  upload::UploadRequest r = request();
  r.inject = false;
  Snapshot before = snapshot(m_dist);
  EXPECT_THROW(run(r), ConfigError);
  EXPECT_TRUE(m_sentry.log.empty());
  EXPECT_EQ(snapshot(m_dist), before);
}

} // namespace
