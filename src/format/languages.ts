/** The language Prettier associates with the plugin (file names, extensions, editor ids). */
import type { SupportLanguage } from 'prettier';

export const languages: SupportLanguage[] = [
  {
    name: 'Dockerfile',
    parsers: ['dockerfile'],
    filenames: ['Dockerfile', 'Containerfile'],
    extensions: ['.dockerfile', '.containerfile'],
    vscodeLanguageIds: ['dockerfile'],
    linguistLanguageId: 89,
  },
];
