// Migrations in the order they apply. `pnpm db:migration` writes a new file; add it here.
import { Migration20261122020249_platform } from './Migration20261122020249_platform.js';

export const migrationsList = [{ name: 'Migration20261122020249_platform', class: Migration20261122020249_platform }];
