export * from './events.schema.js';
export * from './sink.js';
export * from './labels.js';
export * from './experiments.js';
export * from './elicitations.js';
export { MemoryTraceStore } from './memory-store.js';
export { MemoryResponseCache, type ResponseCache } from './response-cache.js';
export { SqliteTraceStore, StoreOpenError, type SqliteStoreOptions } from './sqlite/sqlite-store.js';
export { eventToJsonLine } from './json-lines.js';
