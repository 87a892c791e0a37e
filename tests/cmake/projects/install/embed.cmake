# A resource compiler in miniature: every file under FOLDER as a string
# literal in OUTPUT (C++), as qt_add_resources or cmrc would embed them.
file(GLOB_RECURSE files RELATIVE "${FOLDER}" "${FOLDER}/*")
list(SORT files)
set(text "// Generated from ${FOLDER}\n#include <map>\n#include <string>\n")
string(APPEND text "const std::map<std::string, std::string> www_files = {\n")
foreach(file IN LISTS files)
  file(READ "${FOLDER}/${file}" content HEX)
  string(APPEND text "  {\"${file}\", std::string(\"")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${content}")
  string(APPEND text "${escaped}\")},\n")
endforeach()
string(APPEND text "};\n")
file(WRITE "${OUTPUT}" "${text}")
