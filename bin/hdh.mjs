#!/usr/bin/env node
// The `hdh` command. Runs the TypeScript sources through tsx's loader: one artefact to ship, no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
