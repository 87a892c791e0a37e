# SPDX-License-Identifier: MIT
#[=======================================================================[.rst:
SentrySourceMaps
----------------

Upload a JavaScript bundle's source maps to Sentry as a build step, after the
target that writes the bundle: inject Sentry debug IDs, upload, wait until
Sentry confirmed the upload, then delete the maps and the
``//# sourceMappingURL=`` comments that pointed at them, so they are not
deployed.  All four steps are one run of the ``sentry-sourcemaps`` uploader,
so their order is guaranteed by its code, not by target wiring.

Load the module in one of three ways:

.. code-block:: cmake

  # 1. From a copy of this repository's cmake/ folder.
  list(APPEND CMAKE_MODULE_PATH "${CMAKE_SOURCE_DIR}/third_party/SentrySourceMaps/cmake")
  include(SentrySourceMaps)

  # 2. add_subdirectory() or FetchContent of this repository, which also
  #    builds the uploader; include() then finds the module by name.
  FetchContent_Declare(SentrySourceMaps GIT_REPOSITORY <url> GIT_TAG <commit>)
  FetchContent_MakeAvailable(SentrySourceMaps)
  include(SentrySourceMaps)

  # 3. An installed package (cmake --install of this repository).
  find_package(SentrySourceMaps 0.1 CONFIG REQUIRED)

The uploader is the first of these that exists when
:command:`sentry_sourcemaps_add_upload` is called:

1. the target ``Sentry::sourcemaps`` (built in the same tree, or the
   imported target that ``find_package(SentrySourceMaps)`` creates);
2. the cache variable ``SENTRY_SOURCEMAPS_EXECUTABLE``;
3. ``sentry-sourcemaps`` on the ``PATH`` (:command:`find_program`, which
   finds ``sentry-sourcemaps.exe`` on Windows; building for Windows on
   another host it looks for a host ``sentry-sourcemaps`` first, then for
   ``sentry-sourcemaps.exe``).

Windows, cross-compiling and multi-config generators
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

The upload and doctor targets run the uploader as
``$<TARGET_FILE:Sentry::sourcemaps>``, so its file name is whatever the
target's is (``sentry-sourcemaps.exe`` on Windows).  When no file has the
name given in ``SENTRY_SOURCEMAPS_EXECUTABLE``, the same name with ``.exe``
is taken.

When cross-compiling (:variable:`CMAKE_CROSSCOMPILING`), the uploader runs
behind its :prop_tgt:`CROSSCOMPILING_EMULATOR` (initialised from
:variable:`CMAKE_CROSSCOMPILING_EMULATOR`, e.g. ``wine``), which the module
puts on the command line itself: CMake prepends it only to a ``COMMAND``
that names a target built in the tree, not to ``$<TARGET_FILE:...>`` and
never to an imported target.  So an uploader built in the tree for the
target system runs through the emulator, as does a ``find_package()``
one built for the target system (a package built for the host, e.g. the
``.deb`` of a Linux CI image, runs directly).  An uploader from ``SENTRY_SOURCEMAPS_EXECUTABLE`` or the ``PATH``
runs through it only when its name ends in the target's executable suffix
but not the host's (``sentry-sourcemaps.exe`` on a Linux host building for
Windows); any other is taken for a host program and runs directly.  To
decide otherwise, create the imported target ``Sentry::sourcemaps`` with
the ``CROSSCOMPILING_EMULATOR`` you want before the call.  An uploader
that needs an emulator but has none draws a configure-time warning.

Paths given to the module (``DIRECTORY``, ``SOURCE_ROOT``, ``ENV_FILE``,
``SENTRY_SOURCEMAPS_ENV_FILE``, ``SENTRY_SOURCEMAPS_EXECUTABLE``) may be
written the Windows way, with backslashes (``C:\app\dist``, or a path taken
from ``$ENV{...}``): backslashes are taken for folder separators, on every
host, and replaced by ``/`` before the path is used.  Paths with spaces
reach the uploader as one argument each.  Give a cache entry with ``-D``
and its type (``-DSENTRY_SOURCEMAPS_EXECUTABLE:FILEPATH=...``) when the
path is not absolute on the host, or CMake makes it absolute against the
current folder first.

Under a multi-config generator (Visual Studio, Xcode, Ninja Multi-Config)
``cmake --build <dir> --config <config> --target sentry-upload`` uploads
that configuration's bundle, and nothing depends on
:variable:`CMAKE_BUILD_TYPE`.  ``DIRECTORY``, ``SOURCE_ROOT``, ``RELEASE``,
``DIST`` and the other values the uploader gets, but not ``ENV_FILE``, may
contain ``$<CONFIG>`` (e.g.
``DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/$<CONFIG>/dist``), and each
configuration keeps its own stamp and pending folder, in
``${CMAKE_CURRENT_BINARY_DIR}/sentry-sourcemaps/<name>/<config>/``.

WebAssembly (Emscripten)
^^^^^^^^^^^^^^^^^^^^^^^^

``BUNDLE_TARGET`` may be an executable target that Emscripten builds
(``emcmake cmake``) and ``DIRECTORY`` its output folder: the JS glue goes
through the source-map path, and each ``.wasm`` module gets a ``build_id``
section (when it has none), is sent as a Sentry debug file when it carries
DWARF (compile and link with ``-g``), and loses its DWARF once Sentry
confirmed it.  Give the uploader by ``SENTRY_SOURCEMAPS_EXECUTABLE`` or the
``PATH``: under Emscripten's toolchain :command:`find_package` searches only
Emscripten's sysroot, and building the uploader in the same tree would
build it for WebAssembly.  A page target that bundles its own script next to
the module works the same way (``BUNDLE_TARGET page``, with
``add_dependencies(page <module target>)``): ``examples/emscripten`` does
that with ``@sentry/browser`` and ``@sentry/wasm``, and
``sentry-sourcemaps resolve --event`` maps the SDK's WebAssembly frames
through the uploaded debug file.

Secrets
^^^^^^^

CMake never sees the auth token.  The uploader reads ``SENTRY_AUTH_TOKEN``
at build time from its environment or from the env file (see ``ENV_FILE``),
so the token is in no cache entry, no ``build.ninja`` and no command line.
A ``SENTRY_AUTH_TOKEN`` cache entry is removed with a warning.  At configure
time the module warns when the env file exists but git does not ignore it.

Cache Variables
^^^^^^^^^^^^^^^

``SENTRY_SOURCEMAPS_EXECUTABLE``
  Path to the ``sentry-sourcemaps`` uploader (``sentry-sourcemaps.exe`` on
  Windows; the ``.exe`` may be left out), used when no
  ``Sentry::sourcemaps`` target exists.  Set to what the ``PATH`` search
  found when it was empty.

``SENTRY_SOURCEMAPS_REQUIRED``
  ``ON``: a build without a token fails.  ``OFF`` (the default): the upload
  target prints ``skipped: no SENTRY_AUTH_TOKEN; maps left untouched`` and
  succeeds, so local builds need no token.  CI presets set it ``ON``.

``SENTRY_SOURCEMAPS_MAX_PARALLEL``
  How many uploads run at once under Ninja (the ``sentry_sourcemaps_upload``
  job pool).  Default: ``2``.

``SENTRY_SOURCEMAPS_DRY_RUN``
  ``ON`` passes ``--dry-run``: the uploader reports what it would upload and
  delete and changes nothing.  Default: ``OFF``.

``SENTRY_SOURCEMAPS_ENV_FILE``
  The default for ``ENV_FILE``.  Default:
  ``${CMAKE_SOURCE_DIR}/.env.sentry-build-plugin``, the file the Sentry Vite
  plugin reads.

``SENTRY_SOURCEMAPS_ORG``, ``_PROJECT``, ``_URL``, ``_RELEASE``, ``_DIST``
  If set (for example with ``-D``), defaults for the keywords of the same
  name.  Left unset, the uploader takes ``SENTRY_ORG`` etc. from its
  environment or the env file at build time.

Commands
^^^^^^^^

.. The error messages of sentry_sourcemaps_add_upload() quote the signature
   below from here (see _sentry_sourcemaps_signature), so it stays a single
   call whose only parentheses are its own.

.. command:: sentry_sourcemaps_add_upload

  .. code-block:: cmake

    sentry_sourcemaps_add_upload(<name>
      BUNDLE_TARGET <target> DIRECTORY <dir>
      [ORG <org>] [PROJECT <project>...] [URL <url>]
      [RELEASE <release>] [DIST <dist>] [URL_PREFIX <prefix>]
      [CREATE_RELEASE] [SET_COMMITS auto|<repo>@<sha>] [FINALIZE]
      [DEPLOY_ENV <env>]
      [IGNORE <glob>...] [NO_INJECT]
      [SOURCE_ROOT <dir>] [NO_REWRITE]
      [STRIP_PREFIX <prefix>...] [STRIP_COMMON_PREFIX]
      [DELETE_AFTER_UPLOAD <glob>...|OFF]
      [KEEP_SOURCE_MAPPING_URL] [ON_FAILURE FAIL|WARN]
      [ENV_FILE <path>] [ALL])

  Creates the target ``sentry-upload_<name>``, which runs after ``<target>``,
  and adds it to the aggregate target ``sentry-upload``.  Call it once per
  bundle; calls for several bundles, projects or organisations coexist, and
  their uploads run in parallel under Ninja (see
  ``SENTRY_SOURCEMAPS_MAX_PARALLEL``).  The target runs, in this order:
  inject debug IDs, upload and wait for Sentry's ``ok``, delete the maps,
  strip the ``sourceMappingURL`` comments that named them.  Re-running it on
  an unchanged ``<dir>`` makes no network request: a stamp keyed by the
  bundle's checksum, the release and the server is kept in
  ``${CMAKE_CURRENT_BINARY_DIR}/sentry-sourcemaps/<name>/`` (its
  ``<config>/`` subfolder under a multi-config generator).

  ``BUNDLE_TARGET <target>``
    Required.  The target that writes ``<dir>``, for example the custom target
    that runs ``npm run build``.

  ``DIRECTORY <dir>``
    Required.  The bundler's output folder.  A relative path is relative to
    :variable:`CMAKE_CURRENT_BINARY_DIR`.  It may contain generator
    expressions such as ``$<CONFIG>``; one that starts with a generator
    expression (``$<TARGET_FILE_DIR:app>/dist``) is used as it is and must
    evaluate to an absolute path.

  ``ORG <org>``, ``PROJECT <project>...``, ``URL <url>``
    The Sentry organisation, project(s) and server.  Default: the
    ``SENTRY_SOURCEMAPS_<KEYWORD>`` variable, else the uploader's own lookup
    (``SENTRY_ORG`` etc. in the environment, then the env file).

  ``RELEASE <release>``, ``DIST <dist>``
    Associate the upload with a release and distribution.  Optional: debug
    IDs make source maps resolve without them.  Self-hosted Sentry older
    than 23.6 (no artifact bundles) needs a release; the uploader detects
    such a server, says so in one line, and fails without ``RELEASE``.
    Without ``RELEASE`` but with one of the four release keywords below, the
    uploader names the release itself: the CI's commit variable
    (``GITHUB_SHA`` etc.), else ``git rev-parse HEAD``, else it fails.

  ``CREATE_RELEASE``
    Create the release before the upload.  Default: off; the release is
    then created only when ``SET_COMMITS`` or an old server needs it.

  ``SET_COMMITS auto|<repo>@<sha>``
    Before the upload, record the commit the release was built from:
    ``auto`` takes ``HEAD`` of the git checkout (or the CI's commit
    variables) in the Sentry repository its remote points to;
    ``<repo>@<sha>`` (or ``<repo>@<previous>..<sha>``) names it, e.g.
    ``acme/web@${GIT_SHA}``.  The repository must be connected to the
    organisation.  Default: no commits.

  ``FINALIZE``
    Mark the release as released once Sentry confirmed the upload.
    Default: off.

  ``DEPLOY_ENV <env>``
    Record a deploy of the release to ``<env>`` (e.g. ``production``) after
    the upload and ``FINALIZE``.  Default: no deploy.

  The release steps run in this order in the one uploader run: create, set
  commits, upload and wait, finalize, deploy, then delete the maps.  A
  failed step fails the target and deletes nothing.

  ``URL_PREFIX <prefix>``
    Prefix of the files' URLs.  Default: ``~/``.

  ``IGNORE <glob>...``
    Files under ``<dir>`` not to upload.

  ``NO_INJECT``
    Do not inject debug IDs (the bundler already did).

  ``SOURCE_ROOT <dir>``
    The folder the uploaded maps name their sources relative to, so Sentry's
    stack traces read like the source tree (``src/checkout.js``, not
    ``../../../src/checkout.js``): ``--source-root``.  Scheme prefixes such as
    ``webpack://<name>/`` are removed; a source outside the folder keeps its
    path without leading ``../`` (``node_modules/react/...``).  Missing
    ``sourcesContent`` is filled from the files inside it, and index maps are
    flattened.  Only the uploaded copy changes.  A relative ``<dir>`` is
    relative to the calling CMakeLists.txt; a folder that does not exist is a
    configure error (unless the path contains a generator expression).
    Default: the ``SOURCE_DIR`` of ``<target>`` (the folder of the
    CMakeLists that defines it).

  ``NO_REWRITE``
    Upload the maps byte for byte (``--no-rewrite``): no source paths, no
    flattening, no added source texts.

  ``STRIP_PREFIX <prefix>...``
    Remove the first of these prefixes a map's ``sources`` entry starts with,
    in the uploaded copy only (``--strip-prefix``).  Default: none.

  ``STRIP_COMMON_PREFIX``
    Also remove the folder prefix all absolute ``sources`` of a map share
    (``--strip-common-prefix``).  Default: off.

  ``DELETE_AFTER_UPLOAD <glob>... | OFF``
    Which files to delete once Sentry confirmed the upload.  Default: exactly
    the source maps that were uploaded.  Globs are relative to ``<dir>``,
    never match outside it and never follow a symbolic link out of it.
    ``OFF`` deletes nothing (and strips no comment).

  ``KEEP_SOURCE_MAPPING_URL``
    Do not strip the ``//# sourceMappingURL=`` comments of deleted maps.

  ``ON_FAILURE FAIL|WARN``
    ``FAIL`` (the default): a failed upload fails the build and leaves every
    map where it is, ready for a retry.  ``WARN``: the build goes on, but the
    maps are moved out of ``<dir>`` (so they are not deployed) into
    ``${CMAKE_CURRENT_BINARY_DIR}/sentry-sourcemaps/<name>/pending``
    (``.../<name>/<config>/pending`` under a multi-config generator), and
    the next run of the target (for that configuration) uploads them from
    there first.

  ``ENV_FILE <path>``
    The dotenv file the uploader reads ``SENTRY_AUTH_TOKEN``, ``SENTRY_ORG``,
    ``SENTRY_PROJECT``, ``SENTRY_URL``, ``SENTRY_RELEASE`` and ``SENTRY_DIST``
    from; variables in the environment win.  A relative path is relative to
    :variable:`CMAKE_CURRENT_SOURCE_DIR`.  Default:
    ``SENTRY_SOURCEMAPS_ENV_FILE``.  A file named ``.env.sentry-build-plugin``
    may be missing: the uploader then runs in its folder and reads it only if
    it is there, as the Vite plugin does.  A file of any other name must exist
    at build time.

  ``ALL``
    Run the upload as part of the default build, not only when
    ``sentry-upload`` or ``sentry-upload_<name>`` is built.

  It also creates ``sentry-doctor_<name>``, added to the aggregate target
  ``sentry-doctor``: ``sentry-sourcemaps doctor <dir>`` with the same
  organisation, projects, server, ignores and env file.  It checks the token
  and its scopes, the organisation and project slugs, the env file (present,
  ignored by git) and the maps in ``<dir>``, prints a fix for each problem,
  and fails when a check fails.  It uploads nothing; build it before the
  first upload, or whenever Sentry shows minified stack traces.

  The target has the properties ``SENTRY_SOURCEMAPS_BUNDLE_TARGET``,
  ``SENTRY_SOURCEMAPS_DIRECTORY``, ``SENTRY_SOURCEMAPS_PENDING_DIR``,
  ``SENTRY_SOURCEMAPS_STAMP_FILE``, ``SENTRY_SOURCEMAPS_DEPLOY_DIR``,
  ``SENTRY_SOURCEMAPS_DEPLOY_STAMP`` and ``SENTRY_SOURCEMAPS_ENV_FILE``
  (absolute CMake paths; under a multi-config generator the pending folder,
  the stamp and the deploy folder contain ``$<CONFIG>``, as ``DIRECTORY``
  may).

  Embedding the bundle (a resource compiler, a generated ``.cpp``, an
  archive): take the files from ``SENTRY_SOURCEMAPS_DEPLOY_DIR``, never from
  ``<dir>``.  Each run of ``sentry-upload_<name>``, after the upload (or its
  skip without a token), makes that folder the deployable copy of ``<dir>``:
  every file but the source maps, without ``sourceMappingURL`` comments and
  without WebAssembly DWARF.  ``SENTRY_SOURCEMAPS_DEPLOY_STAMP`` is a
  byproduct of the target, rewritten only when that copy changed: name it in
  ``DEPENDS`` so the embedding step runs after the upload and only when the
  copy changed, and add ``add_dependencies(<consumer> sentry-upload_<name>)``
  for generators that do not order targets by byproducts (Makefiles, Visual
  Studio, Xcode):

  .. code-block:: cmake

    get_target_property(www sentry-upload_web SENTRY_SOURCEMAPS_DEPLOY_DIR)
    get_target_property(www_stamp sentry-upload_web SENTRY_SOURCEMAPS_DEPLOY_STAMP)
    add_custom_command(OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/www.tar
      COMMAND ${CMAKE_COMMAND} -E tar cf ${CMAKE_CURRENT_BINARY_DIR}/www.tar .
      WORKING_DIRECTORY ${www}
      DEPENDS ${www_stamp} VERBATIM)
    add_custom_target(www_archive ALL DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/www.tar)
    add_dependencies(www_archive sentry-upload_web)

.. command:: sentry_sourcemaps_install

  .. code-block:: cmake

    sentry_sourcemaps_install(<name> DESTINATION <dir>
      [COMPONENT <component>] [EXCLUDE_FROM_ALL])

  Installs the ``DIRECTORY`` of ``sentry_sourcemaps_add_upload(<name> ...)``
  (called before it) into ``<dir>`` at ``cmake --install`` and CPack time,
  whatever happened at build time: every file of the folder except the
  source maps (``*.map`` and the files a script's ``sourceMappingURL``
  names), with no ``sourceMappingURL`` comment in a script or stylesheet and
  no DWARF (``.debug_*``) in a WebAssembly module.  The build folder itself
  is not changed, so a later upload still finds the maps.  A relative
  ``<dir>`` is relative to :variable:`CMAKE_INSTALL_PREFIX`; ``DESTDIR`` is
  honoured, as by :command:`install`, and the files are listed in
  ``install_manifest.txt``.  Under a multi-config generator the configuration
  being installed (``cmake --install <dir> --config <config>``) is the one
  whose folder and stamp are used.

  When the stamp of ``sentry-upload_<name>`` does not confirm the folder as
  it is now (no token at build time, the upload target did not run, or the
  bundle was rebuilt since), the install prints one warning naming the
  bundle and installs the cleaned copy; with ``SENTRY_SOURCEMAPS_REQUIRED``
  ``ON`` it fails instead and installs nothing of the bundle.  ``COMPONENT``
  and ``EXCLUDE_FROM_ALL`` are those of :command:`install`.

Example
^^^^^^^

.. code-block:: cmake

  add_custom_command(OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/dist/.vite/manifest.json
    COMMAND npm run build -- --outDir ${CMAKE_CURRENT_BINARY_DIR}/dist
    DEPENDS ${sources} package-lock.json
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} VERBATIM)
  add_custom_target(frontend ALL
    DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/dist/.vite/manifest.json)

  include(SentrySourceMaps)
  sentry_sourcemaps_add_upload(web
    BUNDLE_TARGET frontend
    DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/dist
    ORG acme PROJECT web)

Then ``cmake --build build --target sentry-upload`` with ``SENTRY_AUTH_TOKEN``
in the environment or in ``.env.sentry-build-plugin``.
#]=======================================================================]

include_guard(GLOBAL)

if(CMAKE_VERSION VERSION_LESS 3.25)
  message(FATAL_ERROR "SentrySourceMaps needs CMake 3.25 or newer (this is "
    "${CMAKE_VERSION}). Upgrade CMake.")
endif()

# Functions record the policies in force where they are defined; pin ours
# without touching the caller's.
block(SCOPE_FOR POLICIES)
cmake_policy(VERSION 3.25)
list(APPEND CMAKE_MESSAGE_CONTEXT "SentrySourceMaps")

set(SENTRY_SOURCEMAPS_EXECUTABLE "" CACHE FILEPATH
  "The sentry-sourcemaps uploader, used when there is no Sentry::sourcemaps target")
option(SENTRY_SOURCEMAPS_REQUIRED
  "Fail the upload targets when no SENTRY_AUTH_TOKEN is available at build time" OFF)
option(SENTRY_SOURCEMAPS_DRY_RUN
  "Only report what the upload targets would upload and delete" OFF)
set(SENTRY_SOURCEMAPS_MAX_PARALLEL 2 CACHE STRING
  "How many Sentry uploads run at once under Ninja")
set(SENTRY_SOURCEMAPS_ENV_FILE "${CMAKE_SOURCE_DIR}/.env.sentry-build-plugin" CACHE FILEPATH
  "Default dotenv file the uploader reads SENTRY_AUTH_TOKEN etc. from at build time")
mark_as_advanced(SENTRY_SOURCEMAPS_EXECUTABLE SENTRY_SOURCEMAPS_MAX_PARALLEL
  SENTRY_SOURCEMAPS_ENV_FILE SENTRY_SOURCEMAPS_DRY_RUN)

# A token given with -D would sit in CMakeCache.txt in plain text.
if(DEFINED CACHE{SENTRY_AUTH_TOKEN})
  unset(SENTRY_AUTH_TOKEN CACHE)
  message(WARNING "SentrySourceMaps: removed SENTRY_AUTH_TOKEN from the CMake "
    "cache, where it would be stored in plain text. Put the token in the "
    "environment or in the env file (SENTRY_SOURCEMAPS_ENV_FILE) instead, "
    "and consider revoking the one that was passed with -D.")
endif()

# One pool shared by every upload target, created on first use.
function(_sentry_sourcemaps_ensure_job_pool)
  get_property(pools GLOBAL PROPERTY JOB_POOLS)
  if(NOT pools MATCHES "(^|;)sentry_sourcemaps_upload=")
    if(NOT SENTRY_SOURCEMAPS_MAX_PARALLEL MATCHES "^[1-9][0-9]*$")
      message(FATAL_ERROR "SENTRY_SOURCEMAPS_MAX_PARALLEL must be a positive "
        "integer, not \"${SENTRY_SOURCEMAPS_MAX_PARALLEL}\". Write for example "
        "-DSENTRY_SOURCEMAPS_MAX_PARALLEL=2.")
    endif()
    set_property(GLOBAL APPEND PROPERTY JOB_POOLS
      sentry_sourcemaps_upload=${SENTRY_SOURCEMAPS_MAX_PARALLEL})
  endif()
endfunction()

# Makes the path in <var> a CMake path: the backslashes of a Windows path
# (typed by the user, or taken from the environment) become forward slashes,
# on every host, so that nothing later reads them as escapes. Not
# file(TO_CMAKE_PATH) or cmake_path(CONVERT ... TO_CMAKE_PATH_LIST) alone:
# they split a list at the host's separator, ':' outside Windows, which cuts
# C:\app in two, and cmake_path keeps backslashes outside Windows.
function(_sentry_sourcemaps_to_cmake_path var)
  set(path "${${var}}")
  if(CMAKE_HOST_WIN32)
    cmake_path(CONVERT "${path}" TO_CMAKE_PATH_LIST path)
  endif()
  string(REPLACE "\\" "/" path "${path}")
  set(${var} "${path}" PARENT_SCOPE)
endfunction()

# The suffixes of the host's and of the target system's executables
# (CMAKE_EXECUTABLE_SUFFIX describes the target's: ".exe" when building for
# Windows, on any host).
function(_sentry_sourcemaps_executable_suffixes host_var target_var)
  set(host "")
  if(CMAKE_HOST_WIN32)
    set(host ".exe")
  endif()
  set(${host_var} "${host}" PARENT_SCOPE)
  set(${target_var} "${CMAKE_EXECUTABLE_SUFFIX}" PARENT_SCOPE)
endfunction()

# <out_var>: TRUE when <file> is a program of the target system that the host
# cannot run itself: cross-compiling, and its name ends in the target's
# executable suffix but not the host's (sentry-sourcemaps.exe on a Linux host
# building for Windows).
function(_sentry_sourcemaps_is_target_program out_var file)
  _sentry_sourcemaps_executable_suffixes(host_suffix target_suffix)
  set(result FALSE)
  if(CMAKE_CROSSCOMPILING AND NOT target_suffix STREQUAL ""
      AND NOT target_suffix STREQUAL host_suffix)
    string(LENGTH "${file}" file_length)
    string(LENGTH "${target_suffix}" suffix_length)
    if(file_length GREATER suffix_length)
      math(EXPR start "${file_length} - ${suffix_length}")
      string(SUBSTRING "${file}" ${start} -1 file_suffix)
      string(TOLOWER "${file_suffix}" file_suffix)
      string(TOLOWER "${target_suffix}" target_suffix)
      if(file_suffix STREQUAL target_suffix)
        set(result TRUE)
      endif()
    endif()
  endif()
  set(${out_var} ${result} PARENT_SCOPE)
endfunction()

# Makes sure Sentry::sourcemaps exists: an existing target, then
# SENTRY_SOURCEMAPS_EXECUTABLE, then the PATH. The target the module creates
# runs through CMAKE_CROSSCOMPILING_EMULATOR only when it is a program of the
# target system (see _sentry_sourcemaps_is_target_program); a host program
# runs directly.
function(_sentry_sourcemaps_resolve_uploader)
  if(TARGET Sentry::sourcemaps)
    return()
  endif()
  _sentry_sourcemaps_executable_suffixes(host_suffix target_suffix)
  set(executable "${SENTRY_SOURCEMAPS_EXECUTABLE}")
  _sentry_sourcemaps_to_cmake_path(executable)
  if(NOT executable)
    # find_program() tries .exe by itself only on a Windows host; building
    # for Windows elsewhere, a host build is preferred, then the .exe.
    set(names sentry-sourcemaps)
    if(NOT target_suffix STREQUAL "" AND NOT target_suffix STREQUAL host_suffix)
      list(APPEND names "sentry-sourcemaps${target_suffix}")
    endif()
    find_program(_SENTRY_SOURCEMAPS_FOUND_EXECUTABLE NAMES ${names} NO_CACHE)
    if(_SENTRY_SOURCEMAPS_FOUND_EXECUTABLE)
      set(executable "${_SENTRY_SOURCEMAPS_FOUND_EXECUTABLE}")
      set(SENTRY_SOURCEMAPS_EXECUTABLE "${executable}" CACHE FILEPATH
        "The sentry-sourcemaps uploader, used when there is no Sentry::sourcemaps target" FORCE)
    endif()
  endif()
  if(NOT executable)
    message(FATAL_ERROR "Cannot find the sentry-sourcemaps uploader. Do one of: "
      "(1) build it in this tree (add_subdirectory or FetchContent of "
      "SentrySourceMaps, which defines the target Sentry::sourcemaps) or load "
      "it with find_package(SentrySourceMaps CONFIG) before this call; "
      "(2) set -DSENTRY_SOURCEMAPS_EXECUTABLE=/path/to/sentry-sourcemaps; "
      "(3) put sentry-sourcemaps on the PATH.")
  endif()
  # A path given without the suffix names the program with it: C:/bin/x is
  # C:/bin/x.exe on Windows, for the host or the target.
  if(NOT EXISTS "${executable}")
    foreach(suffix IN ITEMS "${host_suffix}" "${target_suffix}")
      if(NOT suffix STREQUAL "" AND EXISTS "${executable}${suffix}")
        string(APPEND executable "${suffix}")
        break()
      endif()
    endforeach()
  endif()
  if(NOT EXISTS "${executable}" OR IS_DIRECTORY "${executable}")
    message(FATAL_ERROR "SENTRY_SOURCEMAPS_EXECUTABLE is "
      "\"${SENTRY_SOURCEMAPS_EXECUTABLE}\", which does not exist. Point it at "
      "the sentry-sourcemaps executable, or clear it to search the PATH.")
  endif()
  add_executable(Sentry::sourcemaps IMPORTED GLOBAL)
  set_target_properties(Sentry::sourcemaps PROPERTIES
    IMPORTED_LOCATION "${executable}")
  # CMake initialised CROSSCOMPILING_EMULATOR from CMAKE_CROSSCOMPILING_EMULATOR;
  # a host program must not run through it.
  _sentry_sourcemaps_is_target_program(target_program "${executable}")
  if(NOT target_program)
    set_property(TARGET Sentry::sourcemaps PROPERTY CROSSCOMPILING_EMULATOR "")
  endif()
endfunction()

# Warns once when cross-compiling and the uploader is a program of the target
# system (built in this tree, or a .exe on a non-Windows host) that has no
# emulator to run it: the upload targets would fail at build time.
function(_sentry_sourcemaps_check_emulator)
  get_property(warned GLOBAL PROPERTY _SENTRY_SOURCEMAPS_WARNED_EMULATOR)
  if(warned OR NOT CMAKE_CROSSCOMPILING)
    return()
  endif()
  get_target_property(aliased Sentry::sourcemaps ALIASED_TARGET)
  if(NOT aliased)
    set(aliased Sentry::sourcemaps)
  endif()
  get_target_property(imported ${aliased} IMPORTED)
  get_target_property(emulator ${aliased} CROSSCOMPILING_EMULATOR)
  if(imported)
    get_target_property(location ${aliased} IMPORTED_LOCATION)
    _sentry_sourcemaps_is_target_program(target_program "${location}")
  else()
    set(location "the target ${aliased}, built in this tree for ${CMAKE_SYSTEM_NAME}")
    set(target_program TRUE)
  endif()
  if(target_program AND NOT emulator)
    set_property(GLOBAL PROPERTY _SENTRY_SOURCEMAPS_WARNED_EMULATOR TRUE)
    message(WARNING "SentrySourceMaps: the upload targets run the uploader "
      "${location}, which this ${CMAKE_HOST_SYSTEM_NAME} host cannot run, and "
      "CMAKE_CROSSCOMPILING_EMULATOR is not set. Set it (for example to wine "
      "when building for Windows), or point SENTRY_SOURCEMAPS_EXECUTABLE at a "
      "sentry-sourcemaps built for the host.")
  endif()
endfunction()

# The uploader's place on a command line: its file, behind its
# CROSSCOMPILING_EMULATOR when cross-compiling. add_custom_target() prepends
# the emulator itself only when COMMAND is the name of an executable built in
# this tree, not for $<TARGET_FILE:...> and never for an imported target, so
# the module always adds it. An empty emulator disappears with
# COMMAND_EXPAND_LISTS; a generator expression reads the property at generate
# time, so one set after the call counts.
function(_sentry_sourcemaps_uploader_command out_var)
  set(cmd "")
  if(CMAKE_CROSSCOMPILING)
    list(APPEND cmd "$<TARGET_PROPERTY:Sentry::sourcemaps,CROSSCOMPILING_EMULATOR>")
  endif()
  list(APPEND cmd "$<TARGET_FILE:Sentry::sourcemaps>")
  set(${out_var} "${cmd}" PARENT_SCOPE)
endfunction()

# Warns once per file when an env file that may hold the token exists but is
# not ignored by git, i.e. could be committed.
function(_sentry_sourcemaps_check_env_file file)
  get_property(checked GLOBAL PROPERTY _SENTRY_SOURCEMAPS_CHECKED_ENV_FILES)
  if(NOT EXISTS "${file}" OR file IN_LIST checked)
    return()
  endif()
  set_property(GLOBAL APPEND PROPERTY _SENTRY_SOURCEMAPS_CHECKED_ENV_FILES "${file}")
  find_program(_SENTRY_SOURCEMAPS_GIT NAMES git NO_CACHE)
  if(NOT _SENTRY_SOURCEMAPS_GIT)
    return()
  endif()
  cmake_path(GET file PARENT_PATH dir)
  # Exit code 0: ignored; 1: not ignored (or tracked); 128: not a work tree.
  execute_process(COMMAND "${_SENTRY_SOURCEMAPS_GIT}" check-ignore -q "${file}"
    WORKING_DIRECTORY "${dir}" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
  if(rc EQUAL 1)
    cmake_path(GET file FILENAME filename)
    message(WARNING "${file} holds Sentry credentials but git does not "
      "ignore it, so it could be committed. Add the line \"${filename}\" to "
      ".gitignore (and run `git rm --cached ${filename}` if it is tracked).")
  endif()
endfunction()

# The signature of <command> on one line, for its error messages. It is read
# from the command's code block in the documentation at the top of this file,
# so the signature is written once, where users read it.
function(_sentry_sourcemaps_signature out_var command)
  file(READ "${CMAKE_CURRENT_FUNCTION_LIST_FILE}" module)
  string(REGEX MATCH "\\.\\. command:: ${command}[^(]*(${command}\\([^)]*\\))"
    whole_match "${module}")
  string(REGEX REPLACE "[ \t\r\n]+" " " signature "${CMAKE_MATCH_1}")
  set(${out_var} "${signature}" PARENT_SCOPE)
endfunction()

# --- sentry_sourcemaps_add_upload() and its steps. The steps serve it alone
# and, being called from it, see its variables: `name`, `me` (the call as
# messages show it) and the parsed keywords `arg_<KEYWORD>`. They return
# results through the variables their callers name.

# The checks of a call, run before anything is derived from it and in a
# fixed order, so that the first mistake is the one reported. Every message
# says what to write instead.

# The form of the call: a name that can be part of a target name, known
# keywords, a value after each keyword that takes one.
function(_sentry_sourcemaps_check_upload_call)
  if(NOT name MATCHES "^[A-Za-z0-9_.+-]+$")
    message(FATAL_ERROR "sentry_sourcemaps_add_upload: the name \"${name}\" "
      "must be letters, digits and _ . + - only, as it becomes part of the "
      "target name sentry-upload_<name>. Write for example "
      "sentry_sourcemaps_add_upload(web BUNDLE_TARGET ...).")
  endif()
  if(DEFINED arg_UNPARSED_ARGUMENTS)
    _sentry_sourcemaps_signature(usage sentry_sourcemaps_add_upload)
    message(FATAL_ERROR "${me}: unknown argument(s): ${arg_UNPARSED_ARGUMENTS}. "
      "The signature is: ${usage}")
  endif()
  foreach(keyword IN LISTS arg_KEYWORDS_MISSING_VALUES)
    _sentry_sourcemaps_signature(usage sentry_sourcemaps_add_upload)
    message(FATAL_ERROR "${me}: ${keyword} needs a value. The signature is: ${usage}")
  endforeach()
endfunction()

# The required keywords, and the targets: BUNDLE_TARGET must exist already,
# sentry-upload_<name> must not.
function(_sentry_sourcemaps_check_upload_targets)
  if(NOT arg_BUNDLE_TARGET)
    message(FATAL_ERROR "${me}: BUNDLE_TARGET is required. Write "
      "BUNDLE_TARGET <target>, naming the target that writes the bundle, e.g. "
      "the custom target that runs `npm run build`.")
  endif()
  if("${arg_DIRECTORY}" STREQUAL "")
    message(FATAL_ERROR "${me}: DIRECTORY is required. Write DIRECTORY <dir>, "
      "the bundler's output folder, e.g. DIRECTORY \${CMAKE_CURRENT_BINARY_DIR}/dist.")
  endif()
  if(NOT TARGET "${arg_BUNDLE_TARGET}")
    message(FATAL_ERROR "${me}: BUNDLE_TARGET \"${arg_BUNDLE_TARGET}\" is not a "
      "target. Define the frontend build target (e.g. add_custom_target("
      "${arg_BUNDLE_TARGET} ...)) before calling sentry_sourcemaps_add_upload().")
  endif()
  if(TARGET "sentry-upload_${name}")
    message(FATAL_ERROR "${me}: the target sentry-upload_${name} already "
      "exists. Give each sentry_sourcemaps_add_upload() call its own name.")
  endif()
endfunction()

# The values of the keywords that accept only some.
function(_sentry_sourcemaps_check_upload_values)
  # Left out (empty), ON_FAILURE is FAIL: see _sentry_sourcemaps_apply_upload_defaults.
  if(NOT "${arg_ON_FAILURE}" STREQUAL "" AND NOT arg_ON_FAILURE MATCHES "^(FAIL|WARN)$")
    message(FATAL_ERROR "${me}: ON_FAILURE must be FAIL or WARN, not "
      "\"${arg_ON_FAILURE}\". Write ON_FAILURE FAIL (stop the build, keep the "
      "maps) or ON_FAILURE WARN (go on, move the maps to a pending folder).")
  endif()
  if(DEFINED arg_SET_COMMITS AND NOT arg_SET_COMMITS MATCHES
      "^(auto|[^@ ]+@[0-9A-Za-z_.-]+)$") # <sha> or <previous>..<sha>
    message(FATAL_ERROR "${me}: SET_COMMITS must be auto or <repo>@<sha>, not "
      "\"${arg_SET_COMMITS}\". Write SET_COMMITS auto (the checkout's HEAD) or "
      "SET_COMMITS acme/web@<commit sha>, with the repository's name in Sentry.")
  endif()
  if(DEFINED arg_DEPLOY_ENV)
    string(LENGTH "${arg_DEPLOY_ENV}" env_length)
    if(env_length GREATER 64 OR arg_DEPLOY_ENV MATCHES "[/\n\r]"
        OR arg_DEPLOY_ENV STREQUAL "none")
      message(FATAL_ERROR "${me}: DEPLOY_ENV \"${arg_DEPLOY_ENV}\" is not a "
        "valid Sentry environment (1 to 64 characters, no '/' or line breaks, "
        "not 'none'). Write for example DEPLOY_ENV production.")
    endif()
  endif()
  if("OFF" IN_LIST arg_DELETE_AFTER_UPLOAD AND NOT arg_DELETE_AFTER_UPLOAD STREQUAL "OFF")
    message(FATAL_ERROR "${me}: DELETE_AFTER_UPLOAD takes either globs or "
      "OFF, not both (got \"${arg_DELETE_AFTER_UPLOAD}\").")
  endif()
endfunction()

# Makes the path in <var> a CMake path (forward slashes), absolute against
# <base> and normalised. A path that starts with a generator expression
# (e.g. $<TARGET_FILE_DIR:app>/dist) is left as it is: only the build knows
# where it points, and normalising could drop a "/.." after it. Generator
# expressions later in a path ($<CONFIG> in ${CMAKE_CURRENT_BINARY_DIR}/$<CONFIG>)
# are kept as they are.
function(_sentry_sourcemaps_absolute_path var base)
  set(path "${${var}}")
  _sentry_sourcemaps_to_cmake_path(path)
  if(NOT path MATCHES "^\\$<")
    cmake_path(ABSOLUTE_PATH path BASE_DIRECTORY "${base}" NORMALIZE)
  endif()
  set(${var} "${path}" PARENT_SCOPE)
endfunction()

# Fills in, in the caller's arg_<KEYWORD> variables, what the call left out:
# ORG, PROJECT, URL, RELEASE and DIST from SENTRY_SOURCEMAPS_<KEYWORD>,
# ON_FAILURE FAIL, ENV_FILE from SENTRY_SOURCEMAPS_ENV_FILE. Makes DIRECTORY
# and ENV_FILE absolute against the folders the documentation names, since
# the build runs the uploader elsewhere.
function(_sentry_sourcemaps_apply_upload_defaults)
  foreach(keyword IN ITEMS ORG PROJECT URL RELEASE DIST)
    if("${arg_${keyword}}" STREQUAL "" AND NOT "${SENTRY_SOURCEMAPS_${keyword}}" STREQUAL "")
      set(arg_${keyword} "${SENTRY_SOURCEMAPS_${keyword}}")
    endif()
  endforeach()
  if("${arg_ON_FAILURE}" STREQUAL "")
    set(arg_ON_FAILURE FAIL)
  endif()
  if("${arg_ENV_FILE}" STREQUAL "")
    set(arg_ENV_FILE "${SENTRY_SOURCEMAPS_ENV_FILE}")
  endif()
  if("${arg_SOURCE_ROOT}" STREQUAL "")
    # Where the bundle's sources live: the CMakeLists that defines its target.
    get_target_property(arg_SOURCE_ROOT ${arg_BUNDLE_TARGET} SOURCE_DIR)
  endif()
  _sentry_sourcemaps_absolute_path(arg_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}")
  _sentry_sourcemaps_absolute_path(arg_ENV_FILE "${CMAKE_CURRENT_SOURCE_DIR}")
  _sentry_sourcemaps_absolute_path(arg_SOURCE_ROOT "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT arg_SOURCE_ROOT MATCHES "\\$<" AND NOT IS_DIRECTORY "${arg_SOURCE_ROOT}")
    message(FATAL_ERROR "sentry_sourcemaps_add_upload(${name}): SOURCE_ROOT "
      "\"${arg_SOURCE_ROOT}\" is not a folder. Name the folder the bundle's "
      "sources are under (relative paths are relative to this CMakeLists.txt), "
      "or leave SOURCE_ROOT out to use the SOURCE_DIR of ${arg_BUNDLE_TARGET}.")
  endif()
  return(PROPAGATE arg_ORG arg_PROJECT arg_URL arg_RELEASE arg_DIST arg_ON_FAILURE
    arg_DIRECTORY arg_ENV_FILE arg_SOURCE_ROOT)
endfunction()

# Where the uploader runs, and the arguments that point it at the env file;
# the same for the upload and the doctor. Like the Vite plugin, the uploader
# reads .env.sentry-build-plugin from its working directory when it exists,
# and a missing one is fine. A file of another name is passed explicitly and
# must exist.
function(_sentry_sourcemaps_env_file_args working_dir_var args_var)
  cmake_path(GET arg_ENV_FILE FILENAME env_file_name)
  if(env_file_name STREQUAL ".env.sentry-build-plugin")
    cmake_path(GET arg_ENV_FILE PARENT_PATH working_dir)
    set(args "")
  else()
    set(working_dir "${CMAKE_CURRENT_BINARY_DIR}")
    set(args --env-file "${arg_ENV_FILE}")
  endif()
  set(${working_dir_var} "${working_dir}" PARENT_SCOPE)
  set(${args_var} "${args}" PARENT_SCOPE)
endfunction()

# Where to: --org and --url. Shared by the upload and the doctor, so the
# doctor checks the organisation and server the upload uses.
function(_sentry_sourcemaps_server_args out_var)
  set(args "")
  foreach(pair IN ITEMS "ORG;--org" "URL;--url")
    list(GET pair 0 keyword)
    list(GET pair 1 flag)
    if(NOT "${arg_${keyword}}" STREQUAL "")
      list(APPEND args ${flag} "${arg_${keyword}}")
    endif()
  endforeach()
  set(${out_var} "${args}" PARENT_SCOPE)
endfunction()

# What: --project and --ignore. Shared by the upload and the doctor, so the
# doctor checks the projects and files the upload sends.
function(_sentry_sourcemaps_selection_args out_var)
  set(args "")
  foreach(project IN LISTS arg_PROJECT)
    list(APPEND args --project "${project}")
  endforeach()
  foreach(glob IN LISTS arg_IGNORE)
    list(APPEND args --ignore "${glob}")
  endforeach()
  set(${out_var} "${args}" PARENT_SCOPE)
endfunction()

# Appends to the list <cmd_var> the release steps the uploader runs around
# the upload: create, set commits, (upload and wait), finalize, deploy.
function(_sentry_sourcemaps_append_release_args cmd_var)
  set(cmd "${${cmd_var}}")
  if(arg_CREATE_RELEASE)
    list(APPEND cmd --create-release)
  endif()
  if(DEFINED arg_SET_COMMITS)
    list(APPEND cmd --set-commits "${arg_SET_COMMITS}")
  endif()
  if(arg_FINALIZE)
    list(APPEND cmd --finalize)
  endif()
  if(DEFINED arg_DEPLOY_ENV)
    list(APPEND cmd --deploy "${arg_DEPLOY_ENV}")
  endif()
  set(${cmd_var} "${cmd}" PARENT_SCOPE)
endfunction()

# Appends to the list <cmd_var> what the upload changes in <dir>: debug IDs
# injected before it, and after it the maps deleted and the comments that
# named them stripped.
function(_sentry_sourcemaps_append_bundle_edit_args cmd_var)
  set(cmd "${${cmd_var}}")
  if(NOT arg_NO_INJECT)
    list(APPEND cmd --inject)
  endif()
  if(NOT arg_DELETE_AFTER_UPLOAD STREQUAL "OFF")
    list(APPEND cmd --delete-after)
    foreach(glob IN LISTS arg_DELETE_AFTER_UPLOAD)
      list(APPEND cmd --delete-glob "${glob}")
    endforeach()
    if(arg_KEEP_SOURCE_MAPPING_URL)
      list(APPEND cmd --keep-source-mapping-url)
    endif()
  endif()
  set(${cmd_var} "${cmd}" PARENT_SCOPE)
endfunction()

# The one uploader invocation of sentry-upload_<name>. No secret goes in
# here: the uploader reads the token from its environment or the env file
# at build time.
function(_sentry_sourcemaps_upload_command_line out_var pending_dir stamp_file
    env_file_args)
  _sentry_sourcemaps_server_args(server_args)
  _sentry_sourcemaps_selection_args(selection_args)
  _sentry_sourcemaps_uploader_command(cmd)
  list(APPEND cmd upload ${server_args})
  foreach(pair IN ITEMS "RELEASE;--release" "DIST;--dist" "URL_PREFIX;--url-prefix")
    list(GET pair 0 keyword)
    list(GET pair 1 flag)
    if(NOT "${arg_${keyword}}" STREQUAL "")
      list(APPEND cmd ${flag} "${arg_${keyword}}")
    endif()
  endforeach()
  list(APPEND cmd ${selection_args})
  if(arg_NO_REWRITE)
    list(APPEND cmd --no-rewrite)
  else()
    list(APPEND cmd --source-root "${arg_SOURCE_ROOT}")
  endif()
  foreach(prefix IN LISTS arg_STRIP_PREFIX)
    list(APPEND cmd --strip-prefix "${prefix}")
  endforeach()
  if(arg_STRIP_COMMON_PREFIX)
    list(APPEND cmd --strip-common-prefix)
  endif()
  _sentry_sourcemaps_append_release_args(cmd)
  _sentry_sourcemaps_append_bundle_edit_args(cmd)
  string(TOLOWER "${arg_ON_FAILURE}" on_failure)
  list(APPEND cmd --wait --on-failure ${on_failure} --pending-dir "${pending_dir}"
    --stamp-file "${stamp_file}" ${env_file_args})
  if(NOT SENTRY_SOURCEMAPS_REQUIRED)
    list(APPEND cmd --skip-without-token)
  endif()
  if(SENTRY_SOURCEMAPS_DRY_RUN)
    list(APPEND cmd --dry-run)
  endif()
  list(APPEND cmd "${arg_DIRECTORY}")
  list(JOIN cmd " " pretty)
  message(DEBUG "${me}: ${pretty}")
  set(${out_var} "${cmd}" PARENT_SCOPE)
endfunction()

# The doctor's command line: the upload's non-secret settings, and nothing
# uploaded.
function(_sentry_sourcemaps_doctor_command_line out_var env_file_args)
  _sentry_sourcemaps_server_args(server_args)
  _sentry_sourcemaps_selection_args(selection_args)
  _sentry_sourcemaps_uploader_command(cmd)
  list(APPEND cmd doctor ${server_args} ${selection_args})
  if(NOT arg_NO_INJECT)
    list(APPEND cmd --expect-inject) # the upload injects debug IDs itself
  endif()
  list(APPEND cmd ${env_file_args} "${arg_DIRECTORY}")
  set(${out_var} "${cmd}" PARENT_SCOPE)
endfunction()

# Makes <aggregate> (on first use, with <comment>) depend on <target>, so
# one aggregate target covers every call.
function(_sentry_sourcemaps_add_to_aggregate aggregate target comment)
  if(NOT TARGET ${aggregate})
    add_custom_target(${aggregate} COMMENT "${comment}" VERBATIM)
  endif()
  add_dependencies(${aggregate} ${target})
endfunction()

# sentry-upload_<name>: runs <command> after the bundle target, in the job
# pool all uploads share, as part of sentry-upload. The state folder must
# exist before the uploader writes the stamp there. The properties tell the
# caller where the upload's files are.
function(_sentry_sourcemaps_add_upload_target command working_dir state_dir
    pending_dir stamp_file)
  set(all "")
  if(arg_ALL)
    set(all ALL)
  endif()
  # After the upload (or its skip without a token): the folder's deployable
  # copy, for steps that embed it. deploy.stamp is rewritten only when that
  # copy changed, so a step that depends on it re-runs only then.
  set(deploy_dir "${state_dir}/deploy")
  set(deploy_stamp "${state_dir}/deploy.stamp")
  _sentry_sourcemaps_uploader_command(deploy)
  list(APPEND deploy install --quiet --mirror --done-file "${deploy_stamp}"
    "${arg_DIRECTORY}" "${deploy_dir}")
  add_custom_target(sentry-upload_${name} ${all}
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${state_dir}"
    COMMAND ${command}
    COMMAND ${deploy}
    BYPRODUCTS "${deploy_stamp}"
    WORKING_DIRECTORY "${working_dir}"
    COMMENT "Uploading source maps in ${arg_DIRECTORY} to Sentry (${name})"
    JOB_POOL sentry_sourcemaps_upload
    VERBATIM COMMAND_EXPAND_LISTS)
  add_dependencies(sentry-upload_${name} ${arg_BUNDLE_TARGET})
  set_target_properties(sentry-upload_${name} PROPERTIES
    SENTRY_SOURCEMAPS_BUNDLE_TARGET "${arg_BUNDLE_TARGET}"
    SENTRY_SOURCEMAPS_DIRECTORY "${arg_DIRECTORY}"
    SENTRY_SOURCEMAPS_PENDING_DIR "${pending_dir}"
    SENTRY_SOURCEMAPS_STAMP_FILE "${stamp_file}"
    SENTRY_SOURCEMAPS_DEPLOY_DIR "${deploy_dir}"
    SENTRY_SOURCEMAPS_DEPLOY_STAMP "${deploy_stamp}"
    SENTRY_SOURCEMAPS_ENV_FILE "${arg_ENV_FILE}")
  _sentry_sourcemaps_add_to_aggregate(sentry-upload sentry-upload_${name}
    "Uploaded every bundle's source maps to Sentry")
endfunction()

# sentry-doctor_<name>: runs <command> after the bundle target, whose maps it
# checks, as part of sentry-doctor.
function(_sentry_sourcemaps_add_doctor_target command working_dir)
  add_custom_target(sentry-doctor_${name}
    COMMAND ${command}
    WORKING_DIRECTORY "${working_dir}"
    COMMENT "Checking the Sentry source-map setup of ${arg_DIRECTORY} (${name})"
    VERBATIM COMMAND_EXPAND_LISTS)
  add_dependencies(sentry-doctor_${name} ${arg_BUNDLE_TARGET})
  _sentry_sourcemaps_add_to_aggregate(sentry-doctor sentry-doctor_${name}
    "Checked every bundle's Sentry source-map setup")
endfunction()

function(sentry_sourcemaps_add_upload name)
  list(APPEND CMAKE_MESSAGE_CONTEXT "sentry_sourcemaps_add_upload")
  set(options NO_INJECT KEEP_SOURCE_MAPPING_URL ALL CREATE_RELEASE FINALIZE
    STRIP_COMMON_PREFIX NO_REWRITE)
  set(oneValueArgs BUNDLE_TARGET DIRECTORY ORG URL RELEASE DIST URL_PREFIX
    ON_FAILURE ENV_FILE SET_COMMITS DEPLOY_ENV SOURCE_ROOT)
  set(multiValueArgs PROJECT IGNORE DELETE_AFTER_UPLOAD STRIP_PREFIX)
  cmake_parse_arguments(PARSE_ARGV 1 arg
    "${options}" "${oneValueArgs}" "${multiValueArgs}")
  set(me "sentry_sourcemaps_add_upload(${name})")

  _sentry_sourcemaps_check_upload_call()
  _sentry_sourcemaps_check_upload_targets()
  _sentry_sourcemaps_check_upload_values()
  _sentry_sourcemaps_apply_upload_defaults()
  # What the uploader keeps between runs: the pending maps of ON_FAILURE WARN
  # and the stamp that makes a re-run on an unchanged bundle free. One set per
  # configuration under a multi-config generator (Visual Studio, Xcode, Ninja
  # Multi-Config), so that Debug's parked maps and stamp are not Release's.
  set(state_dir "${CMAKE_CURRENT_BINARY_DIR}/sentry-sourcemaps/${name}")
  get_property(multi_config GLOBAL PROPERTY GENERATOR_IS_MULTI_CONFIG)
  if(multi_config)
    string(APPEND state_dir "/$<CONFIG>")
  endif()
  set(pending_dir "${state_dir}/pending")
  set(stamp_file "${state_dir}/stamp")

  _sentry_sourcemaps_check_env_file("${arg_ENV_FILE}")
  _sentry_sourcemaps_resolve_uploader()
  _sentry_sourcemaps_check_emulator()
  _sentry_sourcemaps_ensure_job_pool()

  _sentry_sourcemaps_env_file_args(working_dir env_file_args)
  _sentry_sourcemaps_upload_command_line(upload "${pending_dir}" "${stamp_file}"
    "${env_file_args}")
  _sentry_sourcemaps_add_upload_target("${upload}" "${working_dir}" "${state_dir}"
    "${pending_dir}" "${stamp_file}")
  _sentry_sourcemaps_doctor_command_line(doctor "${env_file_args}")
  _sentry_sourcemaps_add_doctor_target("${doctor}" "${working_dir}")
  message(STATUS "Sentry upload target: sentry-upload_${name} (${arg_DIRECTORY})")
endfunction()

# --- sentry_sourcemaps_install()

# The install-time code: the uploader's `install` into the destination under
# DESTDIR and the install prefix, the installed files recorded in
# install_manifest.txt. Every value is a bracket argument, so paths with
# quotes, spaces or semicolons arrive as they are; generator expressions in
# them ($<CONFIG>, the uploader's file) are evaluated per configuration.
function(_sentry_sourcemaps_install_code out_var destination)
  get_target_property(directory sentry-upload_${name} SENTRY_SOURCEMAPS_DIRECTORY)
  get_target_property(stamp sentry-upload_${name} SENTRY_SOURCEMAPS_STAMP_FILE)
  # Next to the stamp: the list of what was installed, for the manifest.
  cmake_path(GET stamp PARENT_PATH state_dir)
  _sentry_sourcemaps_uploader_command(uploader)
  set(args install --name "${name}" --stamp-file "${stamp}"
    --manifest "${state_dir}/installed.txt")
  if(SENTRY_SOURCEMAPS_REQUIRED)
    list(APPEND args --require-upload)
  endif()
  list(APPEND args "${directory}")
  string(JOIN "\n" code
    "set(_ssm_command [==[${uploader}]==] [==[${args}]==])"
    "list(REMOVE_ITEM _ssm_command \"\")"
    "set(_ssm_destination [==[${destination}]==])"
    "if(NOT IS_ABSOLUTE \"\${_ssm_destination}\")"
    "  set(_ssm_destination \"\${CMAKE_INSTALL_PREFIX}/\${_ssm_destination}\")"
    "endif()"
    "set(_ssm_destination \"\$ENV{DESTDIR}\${_ssm_destination}\")"
    "execute_process(COMMAND \${_ssm_command} \"\${_ssm_destination}\""
    "  RESULT_VARIABLE _ssm_result)"
    "if(NOT _ssm_result EQUAL 0)"
    "  message(FATAL_ERROR \"sentry_sourcemaps_install(${name}): the bundle was \""
    "    \"not installed (sentry-sourcemaps install: \${_ssm_result}; its \""
    "    \"message is above)\")"
    "endif()"
    "file(STRINGS [==[${state_dir}/installed.txt]==] _ssm_installed)"
    "list(APPEND CMAKE_INSTALL_MANIFEST_FILES \${_ssm_installed})"
    "")
  set(${out_var} "${code}" PARENT_SCOPE)
endfunction()

function(sentry_sourcemaps_install name)
  list(APPEND CMAKE_MESSAGE_CONTEXT "sentry_sourcemaps_install")
  cmake_parse_arguments(PARSE_ARGV 1 arg "EXCLUDE_FROM_ALL"
    "DESTINATION;COMPONENT" "")
  set(me "sentry_sourcemaps_install(${name})")
  if(DEFINED arg_UNPARSED_ARGUMENTS)
    _sentry_sourcemaps_signature(usage sentry_sourcemaps_install)
    message(FATAL_ERROR "${me}: unknown argument(s): ${arg_UNPARSED_ARGUMENTS}. "
      "The signature is: ${usage}")
  endif()
  if(NOT TARGET sentry-upload_${name})
    message(FATAL_ERROR "${me}: no bundle named \"${name}\": "
      "sentry_sourcemaps_install() installs the DIRECTORY of a "
      "sentry_sourcemaps_add_upload(${name} BUNDLE_TARGET ... DIRECTORY ...) "
      "call, which must come first.")
  endif()
  if("${arg_DESTINATION}" STREQUAL "")
    _sentry_sourcemaps_signature(usage sentry_sourcemaps_install)
    message(FATAL_ERROR "${me} given no DESTINATION.  The signature is: ${usage}")
  endif()
  _sentry_sourcemaps_to_cmake_path(arg_DESTINATION)
  _sentry_sourcemaps_install_code(code "${arg_DESTINATION}")
  set(install_args "")
  if(NOT "${arg_COMPONENT}" STREQUAL "")
    list(APPEND install_args COMPONENT "${arg_COMPONENT}")
  endif()
  if(arg_EXCLUDE_FROM_ALL)
    list(APPEND install_args EXCLUDE_FROM_ALL)
  endif()
  install(CODE "${code}" ${install_args})
endfunction()

list(POP_BACK CMAKE_MESSAGE_CONTEXT)
endblock()
