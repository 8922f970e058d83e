// Writes schema/schema.graphql from the code. `pnpm schema:write`; the test suite fails on drift.
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../config/env.js';
import { printAppSchema } from './print-schema.js';

const target = path.join(repoRoot, 'schema', 'schema.graphql');
fs.writeFileSync(target, await printAppSchema());
console.log(`wrote ${path.relative(repoRoot, target)}`);
