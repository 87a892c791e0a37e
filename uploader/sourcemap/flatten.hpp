#pragma once

#include "uploader/sourcemap/source_map.hpp"

namespace uploader::sourcemap {

// Flattens an index map (`sections`, nested ones too) into a regular map,
// the way the source map specification reads it: each section's offset is
// added to its tokens (the column only on the section's first line), a
// token at or after the next section's start is dropped, sources (joined
// with their section's sourceRoot) and names are merged by value keeping
// the first text of each source, ignoreList entries follow their sources.
// The index's `file` and debug id are kept. The result's strings point into
// `index`'s text and its own `owned`. Throws Error for a section that names
// its map by URL only (the upload cannot fetch it).
ParsedMap flatten_index_map(const ParsedMap &index);

} // namespace uploader::sourcemap
