/**
 * The build context as rules see it: synchronous, read-only access to files
 * under one directory. Paths never escape the root (`..` and absolute paths
 * resolve inside it, as they do for COPY sources).
 */
import fs from 'node:fs';
import path from 'node:path';
import { compileGlob } from '../rules/shared/glob.js';
import type { BuildContext } from '../rules/types.js';

export function fsBuildContext(rootDir: string): BuildContext {
  const root = path.resolve(rootDir);
  const inside = (rel: string): string => path.join(root, path.posix.normalize('/' + rel.replace(/\\/g, '/')));
  const stat = (rel: string): fs.Stats | null => {
    try {
      return fs.statSync(inside(rel));
    } catch {
      return null;
    }
  };
  const list = (relDir: string): string[] => {
    try {
      return fs.readdirSync(inside(relDir)).sort();
    } catch {
      return [];
    }
  };
  return {
    root,
    readHead(rel, bytes) {
      const s = stat(rel);
      if (!s || !s.isFile()) return null;
      const fd = fs.openSync(inside(rel), 'r');
      try {
        const buf = Buffer.alloc(Math.min(bytes, s.size));
        fs.readSync(fd, buf, 0, buf.length, 0);
        return buf;
      } finally {
        fs.closeSync(fd);
      }
    },
    readText(rel) {
      const s = stat(rel);
      if (!s || !s.isFile() || s.size > 1 << 20) return null;
      return fs.readFileSync(inside(rel), 'utf8');
    },
    exists: (rel) => stat(rel) !== null,
    isDirectory: (rel) => stat(rel)?.isDirectory() ?? false,
    list,
    glob(pattern) {
      // Walk the pattern one path segment at a time, as BuildKit matches COPY sources.
      const segments = path.posix.normalize('/' + pattern.replace(/\\/g, '/')).split('/').filter(Boolean);
      let current = [''];
      for (const seg of segments) {
        const next: string[] = [];
        const matches = /[*?[\\]/.test(seg) ? compileGlob(seg) : null;
        for (const dir of current) {
          if (!matches) {
            const candidate = dir ? `${dir}/${seg}` : seg;
            if (stat(candidate)) next.push(candidate);
            continue;
          }
          for (const entry of list(dir)) if (matches(entry)) next.push(dir ? `${dir}/${entry}` : entry);
        }
        current = next;
      }
      return segments.length === 0 ? [''] : current;
    },
  };
}
