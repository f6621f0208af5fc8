import fs from 'node:fs'; import path from 'node:path';
import { formatDockerfileContents } from '@reteps/dockerfmt';
const dir='/work/shared/corpus/files';
const texts=fs.readdirSync(dir).filter(f=>!f.endsWith('.result')).map(f=>fs.readFileSync(path.join(dir,f),'utf8'));
const o={ indent: 4, trailingNewline: true, spaceRedirects: false };
const ok=[];
for(const t of texts){ try{ await formatDockerfileContents(t,o); ok.push(t);}catch{} }
let s=performance.now(); for(let r=0;r<3;r++) for(const t of ok){ await formatDockerfileContents(t,o); } console.log('dockerfmt ok-files', ok.length, ((performance.now()-s)/3/ok.length).toFixed(4),'ms/file');
