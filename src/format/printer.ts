/**
 * The Prettier printer. The whole file is laid out in one pass from the root
 * (print-document.ts): the layout of a line depends on its neighbours
 * (directive block, `# prettier-ignore`, the stage's shell), and walking
 * Prettier's path per node would only add cost.
 */
import type { Printer } from 'prettier';
import type { DockerfileRoot } from './parser.js';
import { printDocument } from './print-document.js';
import { printOptionsFrom, type DockerfileOptions } from './options.js';

export const printer: Printer<DockerfileRoot> = {
  print(path, options) {
    const root = path.node;
    if (root.document === null) return root.text;
    return printDocument(root.document, printOptionsFrom(options as DockerfileOptions));
  },
  // No child nodes for Prettier to visit (cursor search, comment attachment): the root prints everything.
  getVisitorKeys: () => [],
};
