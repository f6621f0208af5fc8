/**
 * The plugin's own Prettier options. Everything else (printWidth, tabWidth,
 * useTabs, endOfLine) is Prettier's: continuation lines indent by one
 * tabWidth (or a tab), and printWidth decides when a RUN chain is split and
 * where long commands wrap.
 */
import type { SupportOptions } from 'prettier';
import type { PrintOptions } from './print-document.js';

export const options = {
  dockerfileRunLayout: {
    category: 'Dockerfile',
    type: 'choice',
    default: 'split',
    description: 'How RUN shell commands are laid out.',
    choices: [
      {
        value: 'split',
        description: 'One command per line (`&&`, `||` leading) when the RUN is multi-line or too long; long commands wrap.',
      },
      { value: 'keep', description: 'Keep the line breaks as written; only spaces and indentation change.' },
    ],
  },
} satisfies SupportOptions;

/** The subset of Prettier's resolved options the printer reads. */
export interface DockerfileOptions {
  dockerfileRunLayout?: 'split' | 'keep';
  tabWidth?: number;
  printWidth?: number;
}

export function printOptionsFrom(options: DockerfileOptions): PrintOptions {
  return { splitRun: options.dockerfileRunLayout !== 'keep', tabWidth: options.tabWidth, printWidth: options.printWidth };
}
