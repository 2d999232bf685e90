#!/usr/bin/env node
// The `peerlab` command: registers tsx so the TypeScript sources run directly on Node 20.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
