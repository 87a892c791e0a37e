# add_fake_bundle(<target> <dir>): a "frontend build" that writes a tiny
# bundle (two scripts, their maps, index.html) into <dir>, like `vite build`.
function(add_fake_bundle target dir)
  cmake_path(ABSOLUTE_PATH dir BASE_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}")
  add_custom_command(OUTPUT "${dir}/index.html"
    COMMAND "${CMAKE_COMMAND}" -E rm -rf "${dir}"
    COMMAND "${CMAKE_COMMAND}" -E copy_directory
            "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/bundle" "${dir}"
    COMMENT "fake bundler -> ${dir}"
    VERBATIM)
  add_custom_target(${target} ALL DEPENDS "${dir}/index.html")
endfunction()
