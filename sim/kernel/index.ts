export { canonicalJson, sha256, hashValue, shortHash } from './hash.js';
export { SeededRng, type RngState } from './rng.js';
export { SimClock, isoFromMs, msFromIso, systemWallClock, frozenWallClock, type WallClock } from './clock.js';
export { episodeKey, runIdFor, type EpisodeKeyParts } from './ids.js';
export { own } from './records.js';
export { jsonEqual, diffJson, applyPatch } from './json-patch.js';
