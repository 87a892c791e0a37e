#include "uploader/upload/release_steps.hpp"

#include "uploader/releases/commit_refs.hpp"
#include "uploader/releases/dates.hpp"

namespace uploader::upload {

bool ReleaseSteps::any() const {
  return create || set_commits || finalize || deploy_environment;
}

void prepare_release(releases::ReleaseApi &api, const ReleaseContext &release,
                     const ReleaseSteps &steps, bool flow_needs_release,
                     const util::EnvGetter &getenv,
                     const config::GitRunner &git,
                     const PhaseReporter &report) {
  std::vector<releases::CommitRef> refs;
  if (steps.set_commits) {
    // Resolved first: a wrong repository fails before the release exists.
    bool with_auto = *steps.set_commits == "auto";
    refs = releases::resolve_commit_refs(
        api, release.org,
        with_auto ? std::vector<std::string>{}
                  : std::vector<std::string>{*steps.set_commits},
        with_auto, getenv, git);
  }
  if (steps.create || steps.set_commits || flow_needs_release) {
    releases::NewRelease body;
    body.version = release.version;
    body.projects = release.projects;
    body.date_started = releases::now();
    auto created = api.create(body);
    report(std::string(created.created ? "created" : "using existing") +
           " release " + release.version);
  }
  if (steps.set_commits) {
    api.update(release.version, releases::refs_json(refs));
    std::string shown;
    for (const auto &ref : refs) {
      shown += (shown.empty() ? "" : ", ") + ref.repository + "@" + ref.commit;
    }
    report("set the commits of release " + release.version + ": " + shown);
  }
}

void complete_release(releases::ReleaseApi &api, const ReleaseContext &release,
                      const ReleaseSteps &steps, const PhaseReporter &report) {
  if (steps.finalize) {
    api.update(release.version,
               releases::finalize_json(release.projects, std::nullopt,
                                       releases::now()));
    report("finalized release " + release.version);
  }
  if (steps.deploy_environment) {
    releases::NewDeploy deploy;
    deploy.environment = *steps.deploy_environment;
    deploy.date_finished = releases::now();
    api.create_deploy(release.version, deploy);
    report("recorded a deploy of release " + release.version + " to " +
           deploy.environment);
  }
}

} // namespace uploader::upload
