"""sentry_sourcemaps_add_upload() on an Emscripten executable target: emcmake
configures the project, the build makes divide.js and divide.wasm with
DWARF, and sentry-upload gives the module a build ID, sends it to Sentry as
a debug file, and leaves the deployed module without its DWARF, only after
Sentry's ok."""
from cmake_harness import PROJECTS, account, write_env_file
from helpers.emscripten import configure_with_emcmake, custom_sections, section_payload
from helpers.process import clean_env


def test_an_emscripten_target_uploads_its_module_and_deploys_it_without_dwarf(
        cmake_project, uploader, fake, tmp_path):
    project = cmake_project(PROJECTS / "emscripten")
    env_file = write_env_file(tmp_path / ".env.sentry-build-plugin", **account(fake))
    env = clean_env()
    configured = configure_with_emcmake(
        project, "-DSENTRY_SOURCEMAPS_EXECUTABLE=%s" % uploader,
        "-DSENTRY_SOURCEMAPS_ENV_FILE=%s" % env_file, env=env)
    assert configured.returncode == 0, configured.output

    built = project.build("divide", env=env)
    assert built.returncode == 0, built.output
    wasm = project.binary / "dist" / "divide.wasm"
    assert ".debug_info" in custom_sections(wasm)
    assert (project.binary / "dist" / "divide.js").exists()
    answers = []  # whether the DWARF was still deployed as each answer went out

    def at_answer(record):
        if record["endpoint"] == "dif_assemble":
            answers.append(".debug_info" in custom_sections(wasm))
    fake.on_answer(at_answer)

    uploaded = project.build("sentry-upload", env=env)
    assert uploaded.returncode == 0, uploaded.output
    [dif] = fake.debug_files
    assert (dif["org"], dif["project"], dif["name"]) == ("acme", "web", "divide.wasm")
    assert ".debug_info" in custom_sections(dif["raw"])
    assert answers and all(answers), "the DWARF went before Sentry's ok"
    assert custom_sections(wasm) == ["name", "build_id"]
    assert section_payload(wasm, "build_id").hex() == dif["codeId"]
    # The JS glue went as an artifact bundle with its debug ID.
    assert len(fake.bundles) == 1
    assert any(f["url"] == "~/divide.js" for f in fake.bundles[0]["manifest"]["files"].values())
