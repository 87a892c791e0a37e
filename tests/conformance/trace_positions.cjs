// Resolves generated positions through a source map with @jridgewell/trace-mapping,
// an implementation independent of sentry-cli's (Rust) and ours (C++).
//
//   node trace_positions.cjs TRACE_MAPPING_FOLDER REQUEST.json
//
// REQUEST: {"map": "path/to/x.js.map",
//           "positions": [[line, column], ...]   (line 1-based, column 0-based,
//                                                 as originalPositionFor takes them)
//           "segments": true}                    (optional: list every mapping)
// Prints one JSON object:
//   {"ok": true, "regular": bool (no `sections`), "sources": [...], "resolvedSources": [...],
//    "segments": [[line, column], ...]            (with "segments": every mapping's
//                                                 generated position, in order),
//    "traced": [{"source", "rawSource", "line", "column", "name", "hasContent",
//                "content"}, ...]}
// or {"ok": false, "error": "..."} when the map does not parse (a BOM, bad JSON).
// The map text is handed to trace-mapping as read: JSON.parse, as it does, rejects
// a byte-order mark. AnyMap flattens index maps (`sections`) and reads regular maps
// as TraceMap does.
"use strict";
const fs = require("fs");

const [, , moduleFolder, requestFile] = process.argv;
const tm = require(moduleFolder);
const request = JSON.parse(fs.readFileSync(requestFile, "utf8"));
const text = fs.readFileSync(request.map, "utf8");

let map;
let regular;
try {
  const parsed = JSON.parse(text);
  regular = !Array.isArray(parsed.sections);
  map = new tm.AnyMap(text);
} catch (error) {
  process.stdout.write(JSON.stringify({ ok: false, error: String(error) }));
  process.exit(0);
}

const out = {
  ok: true,
  regular,
  sources: map.sources,
  resolvedSources: map.resolvedSources,
};

if (request.segments) {
  const segments = [];
  tm.eachMapping(map, (m) => segments.push([m.generatedLine, m.generatedColumn]));
  out.segments = segments;
}

out.traced = (request.positions || []).map(([line, column]) => {
  const found = tm.originalPositionFor(map, { line, column });
  let rawSource = null;
  let content = null;
  if (found.source !== null) {
    const index = map.resolvedSources.indexOf(found.source);
    rawSource = index >= 0 ? map.sources[index] : null;
    content = tm.sourceContentFor(map, found.source);
  }
  return {
    source: found.source,
    rawSource,
    line: found.line,
    column: found.column,
    name: found.name,
    hasContent: content !== null && content !== undefined,
    content: request.withContent ? content : undefined,
  };
});

process.stdout.write(JSON.stringify(out));
