#include "uploader/util/error.hpp"
#include "uploader/wasm/dwarf_tables.hpp"

// The backend of a build without libdwarf (CMake did not find it).
namespace uploader::wasm {

bool dwarf_backend_available() { return false; }

DwarfTables read_dwarf_tables(std::string_view, const std::vector<Section> &,
                              std::string_view what) {
  throw Error("cannot read the DWARF of " + std::string(what) +
              ": this sentry-sourcemaps was built without libdwarf. Install "
              "it (Debian/Ubuntu: sudo apt install libdwarf-dev; Fedora: "
              "libdwarf-devel; Homebrew: libdwarf) and build again");
}

} // namespace uploader::wasm
