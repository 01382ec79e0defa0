/**
 * What `import ... from "node:v8"` gives code under test under Deno (the grader's import map
 * points here): the runtime's own `node:v8` object, with the heap readers disarmed by
 * v8_guard.ts before any code under test loaded.
 *
 * @module
 */

const v8 = (globalThis as unknown as {
  process: { getBuiltinModule(id: string): Record<string, never> };
}).process.getBuiltinModule("v8");

/** The runtime's v8 functions (the refused ones throw). */
export const {
  cachedDataVersionTag,
  DefaultDeserializer,
  DefaultSerializer,
  Deserializer,
  deserialize,
  GCProfiler,
  getHeapCodeStatistics,
  getHeapSnapshot,
  getHeapSpaceStatistics,
  getHeapStatistics,
  queryObjects,
  serialize,
  Serializer,
  setFlagsFromString,
  setHeapSnapshotNearHeapLimit,
  startupSnapshot,
  stopCoverage,
  takeCoverage,
  writeHeapSnapshot,
} = v8;
export default v8;
