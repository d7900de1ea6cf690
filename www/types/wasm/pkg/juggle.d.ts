// Minimal types of the wasm-bindgen glue (threaded build, the engine worker), which is built with --no-typescript for now
// (crate/src/web.rs is the source of truth). tsconfig.json's rootDirs makes `./pkg/juggle.js` resolve here.
// To be replaced by the .d.ts files wasm-bindgen generates once the build emits them.

export default function init(
  module?: unknown,
  memory?: WebAssembly.Memory,
): Promise<{ memory: WebAssembly.Memory }>;
export function initThreadPool(threads: number): Promise<void>;
export function executePoolJob(job: object): Promise<any>;
export function cancelPoolJobs(): void;
