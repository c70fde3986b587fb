// Runs one BoxAgnts tool module under node:wasi with the tool ABI: JSON on stdin, JSON on
// stdout, workspace preopened as guest "/".
//   node --no-turbo-fast-api-calls tests/wasi-run.mjs <tool.wasm> <workspace-dir> '<json input>'
// node:wasi is NOT a security sandbox; use this only for tests and speed references.
// (--no-turbo-fast-api-calls avoids node 20 crashes after memory.grow: node issues 53087/51303.)
import { WASI } from 'node:wasi';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const moduleCache = new Map();

export async function runTool(wasmPath, workspace, input) {
  let mod = moduleCache.get(wasmPath);
  if (!mod) {
    mod = await WebAssembly.compile(fs.readFileSync(wasmPath));
    moduleCache.set(wasmPath, mod);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasi-run-'));
  const inFile = path.join(tmp, 'in'), outFile = path.join(tmp, 'out'), errFile = path.join(tmp, 'err');
  fs.writeFileSync(inFile, typeof input === 'string' ? input : JSON.stringify(input));
  const fin = fs.openSync(inFile, 'r'), fout = fs.openSync(outFile, 'w'), ferr = fs.openSync(errFile, 'w');
  let code;
  try {
    const wasi = new WASI({
      version: 'preview1',
      args: [path.basename(wasmPath, '.wasm')],
      env: {},
      preopens: { '/': workspace },
      stdin: fin, stdout: fout, stderr: ferr,
      returnOnExit: true,
    });
    // boxagnts.read_dir (decision 0042) answers -6, "not here": the tools then list through WASI.
    const imports = { ...wasi.getImportObject(), boxagnts: { read_dir: () => -6 } };
    const inst = await WebAssembly.instantiate(mod, imports);
    code = wasi.start(inst);
  } finally {
    fs.closeSync(fin); fs.closeSync(fout); fs.closeSync(ferr);
  }
  const stdout = fs.readFileSync(outFile, 'utf8');
  const stderr = fs.readFileSync(errFile, 'utf8');
  fs.rmSync(tmp, { recursive: true, force: true });
  return { code, stdout, stderr };
}

/** Declared linear-memory limits of a module: {min, max} in 64 KiB pages (max undefined if none). */
export function memoryLimits(bytes) {
  let p = 8;
  const leb = () => { let r = 0, s = 0, b; do { b = bytes[p++]; r += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80); return r; };
  while (p < bytes.length) {
    const id = bytes[p++]; const size = leb(); const end = p + size;
    if (id === 5) { leb(); const flags = bytes[p++]; const min = leb(); const max = (flags & 1) ? leb() : undefined; return { min, max }; }
    p = end;
  }
  return null;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [wasm, ws, input] = process.argv.slice(2);
  if (!wasm || !ws) { console.error('usage: wasi-run.mjs <tool.wasm> <workspace> [json]'); process.exit(2); }
  const t0 = process.hrtime.bigint();
  const r = await runTool(wasm, path.resolve(ws), input ?? fs.readFileSync(0, 'utf8'));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  // writeSync: process.exit() would drop buffered pipe output past 64 KiB
  fs.writeSync(1, r.stdout);
  if (r.stderr) fs.writeSync(2, r.stderr);
  if (process.env.WASI_RUN_TIME) fs.writeSync(2, `time_ms=${ms.toFixed(1)}\n`);
  process.exit(r.code);
}
