#[=======================================================================[.rst:
Findlibdwarf
------------

Finds libdwarf with the object-access API of its 2021 releases (Debian 12's
20210528: ``Dwarf_Obj_Access_Methods`` and ``dwarf_object_init_b`` with a
group number), which ``resolve`` uses to read the DWARF of WebAssembly
modules.  Debian ships it without a pkg-config or CMake package, so this
module looks for the header and the library directly.  libdwarf 0.x renamed
that API (``Dwarf_Obj_Access_Methods_a``); a copy with it is reported as not
found, with the reason in ``libdwarf_API_MESSAGE``.

Imported target: ``libdwarf::libdwarf``.
#]=======================================================================]
find_path(libdwarf_INCLUDE_DIR NAMES libdwarf/libdwarf.h)
find_library(libdwarf_LIBRARY NAMES dwarf libdwarf)
set(libdwarf_API_MESSAGE "")
if(libdwarf_INCLUDE_DIR AND libdwarf_LIBRARY)
  include(CheckCXXSourceCompiles)
  include(CMakePushCheckState)
  cmake_push_check_state(RESET)
  set(CMAKE_REQUIRED_INCLUDES "${libdwarf_INCLUDE_DIR}")
  set(CMAKE_REQUIRED_LIBRARIES "${libdwarf_LIBRARY}")
  set(CMAKE_REQUIRED_QUIET ON)
  check_cxx_source_compiles([[
#include <libdwarf/libdwarf.h>
int main() {
  Dwarf_Obj_Access_Methods methods{nullptr, nullptr, nullptr, nullptr,
                                   nullptr, nullptr, nullptr};
  Dwarf_Obj_Access_Interface access{nullptr, &methods};
  Dwarf_Debug debug = nullptr;
  return dwarf_object_init_b(&access, nullptr, nullptr, DW_GROUPNUMBER_ANY,
                             &debug, nullptr);
}]] libdwarf_HAS_OBJECT_ACCESS_2021)
  cmake_pop_check_state()
  if(NOT libdwarf_HAS_OBJECT_ACCESS_2021)
    set(libdwarf_API_MESSAGE
      "the libdwarf in ${libdwarf_INCLUDE_DIR} has a newer object-access API")
  endif()
endif()
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(libdwarf
  REQUIRED_VARS libdwarf_LIBRARY libdwarf_INCLUDE_DIR
                libdwarf_HAS_OBJECT_ACCESS_2021)
if(libdwarf_FOUND AND NOT TARGET libdwarf::libdwarf)
  add_library(libdwarf::libdwarf UNKNOWN IMPORTED)
  set_target_properties(libdwarf::libdwarf PROPERTIES
    IMPORTED_LOCATION "${libdwarf_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${libdwarf_INCLUDE_DIR}")
endif()
mark_as_advanced(libdwarf_INCLUDE_DIR libdwarf_LIBRARY)
