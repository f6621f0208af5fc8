/**
 * Prettier plugin for Dockerfiles: `prettier --plugin=dockerfix/plugin`, or
 * `"plugins": ["dockerfix/plugin"]` in .prettierrc. A thin entry over
 * src/format, which the dockerfix API and CLI use too.
 */
import { plugin } from '../src/format/plugin.js';

export const { languages, parsers, printers, options } = plugin;
export default plugin;
