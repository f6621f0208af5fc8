import fs from 'node:fs';
import path from 'node:path';

/** Write files under `dir`: a string or bytes is a file, null a folder (parents are made). */
export function writeTree(dir: string, files: Record<string, string | Uint8Array | null>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    if (content === null) fs.mkdirSync(p, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, content);
    }
  }
}
