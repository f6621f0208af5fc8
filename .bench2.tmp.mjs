import fs from 'node:fs'; import path from 'node:path';
import { formatDockerfileContents } from '@reteps/dockerfmt';
const dir='/work/shared/corpus/files';
const texts=fs.readdirSync(dir).filter(f=>!f.endsWith('.result')).map(f=>fs.readFileSync(path.join(dir,f),'utf8'));
const N=texts.length; let fails=0;
for(const t of texts){ try{ await formatDockerfileContents(t,{indent:4,trailingNewline:true}); }catch{fails++} }
let s=performance.now(); for(let r=0;r<3;r++) for(const t of texts){ try{ await formatDockerfileContents(t,{indent:4,trailingNewline:true}); }catch{} } console.log('dockerfmt', ((performance.now()-s)/3/N).toFixed(4),'ms/file', fails);
