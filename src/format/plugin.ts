/** The Prettier plugin object, assembled from its parts (plugin/index.ts re-exports it). */
import type { Plugin } from 'prettier';
import { languages } from './languages.js';
import { options } from './options.js';
import { parser, type DockerfileRoot } from './parser.js';
import { printer } from './printer.js';

export const plugin = {
  languages,
  parsers: { dockerfile: parser },
  printers: { dockerfile: printer },
  options,
  // Dockerfiles conventionally indent continuation lines by four spaces
  // (Docker's documentation, hadolint, dockerfmt); an explicit tabWidth wins.
  defaultOptions: { tabWidth: 4 },
} satisfies Plugin<DockerfileRoot>;
