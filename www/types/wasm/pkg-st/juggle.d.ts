// Minimal types of the wasm-bindgen glue (single-threaded build, the page and plain workers), which is built with --no-typescript for now
// (crate/src/web.rs is the source of truth). tsconfig.json's rootDirs makes `./pkg-st/juggle.js` resolve here.
// To be replaced by the .d.ts files wasm-bindgen generates once the build emits them.

export default function init(module?: unknown): Promise<{ memory: WebAssembly.Memory }>;
export function scenarios(): any[];
export function run(
  id: string,
  params: Record<string, string | number | boolean>,
  engine: unknown,
  cancelled?: Promise<unknown>,
  fault?: string,
): Promise<any>;
export function exportTrace(trace: object, format: string): string;
export function traceAt(trace: object, tMs: number): any;
export function estimateRun(
  id: string,
  params: Record<string, string | number | boolean>,
  threads: number,
): number;
export function benchCooperative(count: number): Promise<any>;
export function executePoolJobHere(job: object): any;
export function runSpawnedTask(task: object, createdMs: number): Promise<any>;
