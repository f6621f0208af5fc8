/**
 * apt-to-apt-get: the shell tokenizer (what counts as a top-level command
 * word), the safety class of each sub-command and why, and exec form.
 */
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/syntax/index.js';
import { aptCommands, aptToAptGet } from '../../src/rules/apt-to-apt-get.js';

const check = (text: string) => aptToAptGet.check(parse(text), { options: {} });
const words = (text: string) => aptCommands(text)?.map((c) => c.map((w) => w.raw).join(' ')) ?? null;

describe('shell tokenizer', () => {
  it('splits top-level simple commands on && || ; | & and skips assignments and redirections', () => {
    expect(words('a 1 && b 2 || c; d | e & f |& g')).toEqual(['a 1', 'b 2', 'c', 'd', 'e', 'f', 'g']);
    expect(words('X=1 Y="a b" apt update 2>&1 >/dev/null')).toEqual(['apt update']);
    expect(words('>/log apt update')).toEqual(['apt update']);
  });

  it('keeps quotes, escapes and substitutions inside words', () => {
    expect(words(`echo "a && b" 'c; d' e\\;f $(g && h) \`i; j\` \${k:-l m}`)).toEqual([`echo "a && b" 'c; d' e\\;f $(g && h) \`i; j\` \${k:-l m}`]);
    expect(words('echo $((1+2)) && apt update')).toEqual(['echo $((1+2))', 'apt update']);
  });

  it('does not look inside subshells and keeps reserved words first', () => {
    expect(words('(apt update) && apt clean')).toEqual(['apt clean']);
    expect(words('if x; then apt update; fi')).toEqual(['if x', 'then apt update', 'fi']);
    expect(words('{ apt update; }')).toEqual(['{ apt update', '}']);
  });

  it('stops at a comment and refuses what it does not handle', () => {
    expect(words('apt update # && apt clean')).toEqual(['apt update']);
    expect(aptCommands('cat <<EOF')).toBeNull();
    expect(aptCommands('echo "unterminated')).toBeNull();
    expect(aptCommands('case x in a) apt update;; esac')).toBeNull();
    expect(aptCommands('a )')).toBeNull();
  });
});

describe('apt-to-apt-get', () => {
  it('has full meta', () => {
    expect(aptToAptGet.meta.id).toBe('apt-to-apt-get');
    expect(aptToAptGet.meta.safety).toBe('safe');
    expect(aptToAptGet.meta.related).toEqual(['DL3027']);
    expect(aptToAptGet.meta.docs).toContain('https://docs.docker.com/reference/dockerfile/#run');
  });

  it('classifies each sub-command', () => {
    const text = ['FROM registry.example.org/img', 'RUN apt update', 'RUN apt remove x', 'RUN apt purge x', 'RUN apt autoremove', 'RUN apt clean',
      'RUN apt autoclean', 'RUN apt install x', 'RUN apt upgrade', 'RUN apt list', 'RUN apt full-upgrade', 'RUN apt satisfy x', 'RUN apt'].join('\n');
    expect(check(text).map((f) => f.safety)).toEqual(['safe', 'safe', 'safe', 'safe', 'safe', 'safe', 'unsafe', 'unsafe', 'suggestion', 'suggestion', 'suggestion', 'suggestion']);
  });

  it('explains install and upgrade', () => {
    const [install, upgrade] = check('FROM img\nRUN apt install -y x\nRUN apt upgrade -y\n');
    expect(install.message).toBe('use apt-get instead of apt in a Dockerfile (apt install)');
    expect(install.reason).toBe('apt deletes the downloaded .deb files after installing but apt-get leaves them in /var/cache/apt/archives, and nothing here is known to remove them');
    expect(upgrade.reason).toMatch(/may install new packages .*--with-new-pkgs/);
    expect(install.edits).toEqual([{ start: 'FROM img\nRUN '.length, end: 'FROM img\nRUN apt'.length, text: 'apt-get' }]);
    const [list] = check('FROM img\nRUN apt list\n');
    expect(list.message).toBe('apt list is an interactive apt command: use an apt-get or apt-cache equivalent in a Dockerfile');
    expect(list.edits).toBeUndefined();
  });

  it('proves install safe only when the .deb files go away anyway', () => {
    const reason = (t: string) => check(`FROM img\nRUN ${t}\n`).find((f) => f.message.endsWith('(apt install)'))!;
    expect(reason('apt install x && apt-get clean').safety).toBe('safe');
    expect(reason('apt install x && rm -rf /var/cache/apt/*').safety).toBe('safe');
    expect(reason('apt install x && rm -rf /var/lib/apt/lists/*').safety).toBe('unsafe');
    expect(reason('apt-get clean && apt install x').safety).toBe('unsafe');
    expect(check('FROM img\nRUN --mount=type=cache,target=/var/cache/apt/archives apt install x\n')[0].safety).toBe('safe');
    expect(check('FROM debian:12\nRUN apt install x\n')[0].reason).toMatch(/official debian base/);
    expect(check('FROM ubuntu\nCOPY keep.conf /etc/apt/apt.conf.d/\nRUN apt install x\n')[0].safety).toBe('unsafe');
    expect(check('FROM myorg/debian:12\nRUN apt install x\n')[0].safety).toBe('unsafe');
  });

  it('rewrites exec form only when the first element is exactly "apt"', () => {
    const [f] = check('FROM img\nRUN ["apt","update"]\n');
    expect(f.edits).toEqual([{ start: 'FROM img\nRUN ["'.length, end: 'FROM img\nRUN ["apt'.length, text: 'apt-get' }]);
    expect(check('FROM img\nRUN ["/usr/bin/apt","update"]\nRUN ["sh","-c","apt update"]\n')).toEqual([]);
  });

  it('keeps every message and reason on one line', () => {
    const text = 'FROM img\nRUN apt update && apt install x && (apt clean)\nRUN <<EOF\napt update\nEOF\nRUN apt list\n';
    for (const f of check(text)) for (const s of [f.message, f.reason]) expect(s).not.toMatch(/\n/);
  });
});
