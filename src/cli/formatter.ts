/**
 * `--format`: the Prettier plugin's printer, called exactly as
 * `prettier --write` would: the user's Prettier config for that file
 * (including .editorconfig, which the Prettier CLI reads by default) and the
 * file path (for `overrides`). Loaded on demand: importing Prettier costs
 * more than everything else dockerfix does on one file.
 */
import type { Options } from 'prettier';
import type { Formatter } from './pipeline.js';

interface FormatModule {
  format(text: string, options?: Options): Promise<string>;
}

// The specifier lives in a variable so this file compiles before (and
// independently of) src/format; the module must export `format()`.
const FORMAT_MODULE = '../format/index.js';

export async function loadFormatter(): Promise<Formatter> {
  const [formatModule, prettier] = await Promise.all([import(FORMAT_MODULE) as Promise<FormatModule>, import('prettier')]);
  return async (text, filepath) => {
    const config = (await prettier.resolveConfig(filepath, { editorconfig: true })) ?? {};
    return formatModule.format(text, { ...config, filepath });
  };
}
