import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../src');
/** Loaded only through src/sandbox/, by a dynamic import when the sandbox is used. */
const SANDBOX_ONLY = ['genesys/emulator', 'playground'].map(
  (dir) => path.join(SRC, dir) + path.sep,
);

// `import … from '…'`, `export … from '…'` and `import '…'`; not `import type`/`export type`
// (erased by tsc) and not `await import('…')` (loaded when called, not when the file loads).
const STATIC_IMPORT = /^\s*(?:import|export)\s+(?!type\s)(?:[^;'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const targets: string[] = [];
  for (const match of text.matchAll(STATIC_IMPORT)) {
    const specifier = match[1] ?? '';
    if (!specifier.startsWith('.')) continue;
    const resolved = path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts');
    if (existsSync(resolved)) targets.push(resolved);
    else if (existsSync(path.join(resolved, 'index.ts')))
      targets.push(path.join(resolved, 'index.ts'));
    else throw new Error(`${path.relative(SRC, file)} imports ${specifier}, which was not found`);
  }
  return targets;
}

/** Every module src/main.ts loads statically, with the chain that reaches it. */
function staticGraph(entry: string): Map<string, string[]> {
  const chains = new Map<string, string[]>([[entry, [entry]]]);
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    for (const target of staticImports(file)) {
      if (chains.has(target)) continue;
      chains.set(target, [...(chains.get(file) ?? []), target]);
      pending.push(target);
    }
  }
  return chains;
}

describe('the production bot', () => {
  const graph = staticGraph(path.join(SRC, 'main.ts'));

  it('loads neither the Genesys emulator nor the playground statically', () => {
    const reached = [...graph.entries()]
      .filter(([file]) => SANDBOX_ONLY.some((dir) => file.startsWith(dir)))
      .map(([, chain]) => chain.map((file) => path.relative(SRC, file)).join(' -> '));
    expect(reached).toEqual([]);
  });

  it('is a real walk: it reaches the bot, the config and the chat adapters', () => {
    for (const file of ['bot.ts', 'config.ts', 'slack/app.ts', 'workflow/runner.ts']) {
      expect(graph.has(path.join(SRC, file))).toBe(true);
    }
    // Reached only through `await import(…)`.
    expect(graph.has(path.join(SRC, 'sandbox/index.ts'))).toBe(false);
  });
});
