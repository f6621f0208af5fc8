/**
 * `--format`: the Prettier plugin's printer, called exactly as
 * `prettier --write` would: the user's Prettier config for that file
 * (including .editorconfig, which the Prettier CLI reads by default) and the
 * file path (for `overrides`). Loaded on demand: importing Prettier costs
 * more than everything else dockerfix does on one file.
 */
import type { Formatter } from './pipeline.js';

export async function loadFormatter(): Promise<Formatter> {
  const [{ format }, prettier] = await Promise.all([import('../format/index.js'), import('prettier')]);
  return async (text, filepath) => {
    const config = (await prettier.resolveConfig(filepath, { editorconfig: true })) ?? {};
    return format(text, { ...config, filepath });
  };
}
