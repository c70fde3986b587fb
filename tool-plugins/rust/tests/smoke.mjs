// End-to-end smoke test of the built tool modules under node:wasi.
//   node --no-turbo-fast-api-calls tests/smoke.mjs [dir with <name>.wasm and <name>.json]
// Default dir: target/tools (what build.sh produces). Prints "N passed, N failed".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTool, memoryLimits } from './wasi-run.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.resolve(process.argv[2] ?? path.join(here, '..', 'target', 'tools'));
const TOOLS = ['read_file', 'write_file', 'edit_file', 'glob', 'grep', 'list_dir'];
// web_fetch is not here: it imports boxagnts.web_fetch, which only the BoxAgnts sandbox provides (WebFetchIT).

const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'boxagnts-smoke-'));
const put = (p, c) => { fs.mkdirSync(path.dirname(path.join(ws, p)), { recursive: true }); fs.writeFileSync(path.join(ws, p), c); };
put('src/main.rs', 'fn main() {\n    println!("hello");\n}\n');
put('src/lib.rs', '// TODO: lib\npub fn f() {}\n');
put('src/util/mod.rs', 'pub mod x; // TODO util\n');
put('README.md', '# demo\n');
put('target/debug/junk.rs', '// TODO ignored\n');
put('.gitignore', 'target/\n*.log\n');
put('app.log', 'TODO log\n');
put('.env', 'SECRET=1\n');
put('img.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]));
put('.git/config', '[core]\n');
try { fs.symlinkSync('/etc', path.join(ws, 'escape')); } catch {}

let passed = 0, failed = 0;
const fail = (name, msg) => { failed++; console.log(`FAIL ${name}: ${msg}`); };

async function check(name, tool, input, expectCode, verify) {
  const r = await runTool(path.join(dir, `${tool}.wasm`), ws, input);
  let out;
  const lines = r.stdout.trim().split('\n');
  try { out = JSON.parse(r.stdout); } catch (e) { return fail(name, `stdout is not JSON: ${r.stdout.slice(0, 200)}`); }
  if (lines.length !== 1) return fail(name, `stdout is not one compact JSON line`);
  if (r.code !== expectCode) return fail(name, `exit ${r.code}, expected ${expectCode}: ${r.stdout.slice(0, 300)}`);
  try { verify(out); passed++; console.log(`ok   ${name}`); } catch (e) { fail(name, `${e.message}\n     got: ${r.stdout.slice(0, 400)}`); }
}
const eq = (a, b, what) => { const x = JSON.stringify(a), y = JSON.stringify(b); if (x !== y) throw new Error(`${what}: ${x} != ${y}`); };
const ok = (c, what) => { if (!c) throw new Error(what); };
const err = (kind, re) => (o) => { eq(o.error?.kind, kind, 'error.kind'); if (re) ok(re.test(o.error.message), `message ${JSON.stringify(o.error.message)} !~ ${re}`); };

// module shape: files present, descriptor sane, memory capped
for (const t of TOOLS) {
  try {
    const bytes = fs.readFileSync(path.join(dir, `${t}.wasm`));
    const desc = JSON.parse(fs.readFileSync(path.join(dir, `${t}.json`), 'utf8'));
    eq(desc.name, t, 'descriptor name');
    ok(desc.inputSchema?.type === 'object', 'inputSchema is an object schema');
    const mem = memoryLimits(bytes);
    eq(mem?.max, 1024, `${t} declared max memory pages (64 MiB)`);
    passed++; console.log(`ok   module ${t} (${bytes.length} bytes, memory ${mem.min}..${mem.max} pages)`);
  } catch (e) { fail(`module ${t}`, e.message); }
}

await check('read_file basic', 'read_file', { path: 'src/main.rs' }, 0, (o) => {
  eq(o, { path: 'src/main.rs', start_line: 1, end_line: 3, total_lines: 3, truncated: false, content: 'fn main() {\n    println!("hello");\n}\n' }, 'result');
});
await check('read_file window', 'read_file', { path: '/src/main.rs', offset: 2, limit: 1 }, 0, (o) => {
  eq([o.content, o.start_line, o.end_line, o.truncated, o.next_offset], ['    println!("hello");\n', 2, 2, true, 3], 'window');
});
await check('read_file binary', 'read_file', { path: 'img.png' }, 1, err('failed', /^binary file 'img.png' \(8 bytes\)/));
await check('read_file dir', 'read_file', { path: 'src' }, 1, err('invalid_input', /is a directory/));
await check('read_file missing', 'read_file', { path: 'nope.txt' }, 1, err('not_found'));
await check('read_file escape ..', 'read_file', { path: '../../etc/passwd' }, 1, err('invalid_input', /climbs above the workspace root/));
await check('read_file escape symlink', 'read_file', { path: 'escape/hostname' }, 1, err('invalid_input', /'escape' is a symlink to '\/etc', which is outside the workspace/));
await check('write_file escape symlink', 'write_file', { path: 'escape/boxagnts-should-not-exist', content: 'x' }, 1, err('invalid_input', /outside the workspace/));
await check('grep escape symlink', 'grep', { pattern: 'x', path: 'escape' }, 1, err('invalid_input', /outside the workspace/));
await check('read_file bad json', 'read_file', '{"path":', 1, err('invalid_input', /not valid JSON/));
await check('read_file unknown field', 'read_file', { file_path: 'x' }, 1, err('invalid_input', /unknown field 'file_path'/));

await check('write_file create', 'write_file', { path: 'new/dir/a.txt', content: 'héllo\n' }, 0, (o) => {
  eq(o, { path: 'new/dir/a.txt', bytes_written: 7, created: true }, 'result');
  eq(fs.readFileSync(path.join(ws, 'new/dir/a.txt'), 'utf8'), 'héllo\n', 'file content');
});
await check('write_file overwrite', 'write_file', { path: 'new/dir/a.txt', content: 'x' }, 0, (o) => eq(o.created, false, 'created'));
await check('write_file no dirs', 'write_file', { path: 'q/r.txt', content: 'x', create_dirs: false }, 1, err('not_found', /does not exist/));

await check('edit_file unique', 'edit_file', { path: 'src/main.rs', old_string: '"hello"', new_string: '"bye"' }, 0, (o) => {
  eq(o.replacements, 1, 'replacements');
  ok(o.diff.startsWith('--- a/src/main.rs\n+++ b/src/main.rs\n@@ -1,3 +1,3 @@'), 'diff header');
  ok(o.diff.includes('-    println!("hello");\n+    println!("bye");'), 'diff body');
  ok(fs.readFileSync(path.join(ws, 'src/main.rs'), 'utf8').includes('"bye"'), 'file changed');
});
await check('edit_file 0 matches', 'edit_file', { path: 'src/main.rs', old_string: 'nothing', new_string: 'x' }, 1, err('not_found', /0 matches/));
await check('edit_file ambiguous', 'edit_file', { path: 'src/lib.rs', old_string: 'f', new_string: 'g' }, 1, err('invalid_input', /occurs \d+ times/));
await check('edit_file same', 'edit_file', { path: 'src/lib.rs', old_string: 'a', new_string: 'a' }, 1, err('invalid_input', /identical/));

await check('glob **/*.rs (gitignore)', 'glob', { pattern: '**/*.rs' }, 0, (o) => {
  eq(o, { truncated: false, matches: ['src/lib.rs', 'src/main.rs', 'src/util/mod.rs'] }, 'result');
});
await check('glob from path', 'glob', { pattern: '*.rs', path: 'src/util' }, 0, (o) => eq(o.matches, ['src/util/mod.rs'], 'matches'));
await check('glob truncation', 'glob', { pattern: '**/*', max_results: 2 }, 0, (o) => { eq(o.truncated, true, 'truncated'); eq(o.matches.length, 2, 'len'); });
await check('glob invalid', 'glob', { pattern: 'a[' }, 1, err('invalid_input', /invalid glob/));

await check('grep TODO', 'grep', { pattern: 'TODO' }, 0, (o) => {
  eq(o.matches, [{ path: 'src/lib.rs', line: 1, text: '// TODO: lib' }, { path: 'src/util/mod.rs', line: 1, text: 'pub mod x; // TODO util' }], 'matches');
  eq(o.binary_skipped, 1, 'binary_skipped');
  eq(o.truncated, false, 'truncated');
});
await check('grep context + glob', 'grep', { pattern: 'println', glob: '*.rs', context: 1 }, 0, (o) => {
  eq(o.matches, [{ path: 'src/main.rs', line: 2, text: '    println!("bye");', before: ['fn main() {'], after: ['}'] }], 'matches');
});
await check('grep files_only ci', 'grep', { pattern: 'todo', case_insensitive: true, files_only: true }, 0, (o) => eq(o.files, ['src/lib.rs', 'src/util/mod.rs'], 'files'));
await check('grep bad regex', 'grep', { pattern: '(' }, 1, err('invalid_input', /^invalid regex:/));

await check('list_dir root', 'list_dir', {}, 0, (o) => {
  eq(o.path, '.', 'path');
  const paths = o.entries.map((e) => e.path);
  ok(!paths.some((p) => p.startsWith('.git') || p.startsWith('target') || p === 'app.log' || p === '.env'), `ignored/hidden listed: ${paths}`);
  ok(paths.includes('src/util') && !paths.includes('src/util/mod.rs'), 'depth 2');
  eq(o.entries.find((e) => e.path === 'README.md'), { path: 'README.md', type: 'file', size: 7 }, 'README entry');
});
await check('list_dir hidden', 'list_dir', { depth: 1, include_hidden: true }, 0, (o) => {
  const paths = o.entries.map((e) => e.path);
  ok(paths.includes('.env') && !paths.includes('.git'), `hidden: ${paths}`);
});
await check('list_dir file', 'list_dir', { path: 'README.md' }, 1, err('invalid_input', /not a directory/));

fs.rmSync(ws, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
