import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildAppSchema } from './schema.js';

export async function printAppSchema(): Promise<string> {
  const schema = await buildAppSchema();
  return `# Generated from the server code by \`pnpm schema:write\`. Do not edit.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
}
