/**
 * Convolution backprop throughput of the kernels composed in trainer/kernels/ (on wasm and on cpu)
 * against the native ones (cpu's, and wasm's Conv2DBackpropInput), in GFLOP/s of the forward conv;
 * also the 1x1 filter gradient (one matrix product) and wasm's 7x7 depthwise forward, native and
 * tiled (trainer/kernels/depthwise-tiles.ts).
 * Run: npx tsx bench/conv-grads.ts
 */
import { registerConvGradKernels } from '../trainer/kernels/wasm-conv-grads.ts';
import { registerWasmKernels } from '../trainer/kernels/wasm-kernels.ts';
import { initBackend, tf } from '../trainer/tf.ts';
import type { NamedAttrMap, Tensor } from '../trainer/tf.ts';
import { CONV_BACKPROP_KERNELS } from '../trainer/kernels/conv-backprops.ts';

const [B, H, C] = [32, 16, 32]; // batch 32, 16x16 pixels, 32 -> 32 channels
const REPEATS = 3;

interface Workload {
  readonly name: string;
  readonly kernel: string;
  /** Input names and shapes, in the kernel's terms. */
  readonly inputs: Readonly<Record<string, number[]>>;
  readonly attrs: NamedAttrMap;
  /** Multiply-adds x 2 of the equivalent forward convolution. */
  readonly flops: number;
}

function convFilter(k: number, s: number): Workload {
  const ho = H / s;
  return {
    name: `conv ${k}x${k} s${s} filter grad`,
    kernel: 'Conv2DBackpropFilter',
    inputs: { x: [B, H, H, C], dy: [B, ho, ho, C] },
    attrs: { strides: s, pad: 'same', dataFormat: 'NHWC', filterShape: [k, k, C, C] },
    flops: 2 * B * ho * ho * k * k * C * C,
  };
}

function convInput(k: number, s: number): Workload {
  const ho = H / s;
  return {
    name: `conv ${k}x${k} s${s} input grad`,
    kernel: 'Conv2DBackpropInput',
    inputs: { dy: [B, ho, ho, C], filter: [k, k, C, C] },
    attrs: { strides: s, pad: 'same', dataFormat: 'NHWC', inputShape: [B, H, H, C] },
    flops: 2 * B * ho * ho * k * k * C * C,
  };
}

function depthwise(k: number, s: number, of: 'filter' | 'input'): Workload {
  const ho = H / s;
  const common = { strides: s, pad: 'same', dilations: 1 };
  return {
    name: `depthwise ${k}x${k} s${s} ${of} grad`,
    kernel:
      of === 'filter'
        ? 'DepthwiseConv2dNativeBackpropFilter'
        : 'DepthwiseConv2dNativeBackpropInput',
    inputs:
      of === 'filter'
        ? { x: [B, H, H, C], dy: [B, ho, ho, C] }
        : { dy: [B, ho, ho, C], filter: [k, k, C, 1] },
    attrs:
      of === 'filter'
        ? { ...common, filterShape: [k, k, C, 1] }
        : { ...common, inputShape: [B, H, H, C] },
    flops: 2 * B * ho * ho * k * k * C,
  };
}

function depthwiseForward(k: number, s: number): Workload {
  const ho = H / s;
  return {
    name: `depthwise ${k}x${k} s${s} forward`,
    kernel: 'DepthwiseConv2dNative',
    inputs: { x: [B, H, H, C], filter: [k, k, C, 1] },
    attrs: { strides: s, pad: 'same', dilations: 1 },
    flops: 2 * B * ho * ho * k * k * C,
  };
}

const MISSING_ON_WASM: Workload[] = [
  convFilter(1, 1),
  convFilter(1, 2),
  convFilter(3, 1),
  convFilter(3, 2),
  depthwise(3, 1, 'filter'),
  depthwise(3, 1, 'input'),
  depthwise(5, 1, 'filter'),
  depthwise(5, 1, 'input'),
  depthwise(3, 2, 'filter'),
  depthwise(3, 2, 'input'),
];
const INPUT_GRADS: Workload[] = [convInput(3, 1), convInput(1, 1), convInput(3, 2)];
const WIDE_FORWARD: Workload[] = [depthwiseForward(7, 1), depthwiseForward(7, 2)];

/**
 * Median milliseconds of one kernel call on the active backend, after one warm-up call; a kernel
 * whose warm-up takes over a second is timed by that one call (the cpu backend's slowest).
 */
function time(w: Workload): number {
  const inputs = Object.fromEntries(
    Object.entries(w.inputs).map(([name, shape]) => [
      name,
      tf.randomNormal(shape, 0, 1, 'float32', 7),
    ]),
  );
  const once = (): number => {
    const start = performance.now();
    const out: Tensor = tf.engine().runKernel(w.kernel, inputs, w.attrs);
    out.dataSync();
    const ms = performance.now() - start;
    out.dispose();
    return ms;
  };
  const first = once();
  const times = first > 1000 ? [first] : Array.from({ length: REPEATS }, once);
  tf.dispose(Object.values(inputs));
  return times.sort((x, y) => x - y)[Math.floor(times.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  console.log(`batch ${B}, ${H}x${H}, ${C} channels; median of ${REPEATS} calls after a warm-up`);
  const workloads = [...MISSING_ON_WASM, ...INPUT_GRADS, ...WIDE_FORWARD];
  const results = new Map<string, Map<Workload, number>>();
  const measure = (label: string, which: Workload[]) =>
    results.set(label, new Map(which.map((w) => [w, time(w)])));
  console.log(`cpu:  ${(await initBackend('cpu')).device}`);
  measure('cpu native', workloads);
  registerConvGradKernels('cpu', { replace: CONV_BACKPROP_KERNELS });
  measure('cpu (ours)', workloads);
  console.log(`wasm: ${(await initBackend('wasm')).device}`);
  registerConvGradKernels('wasm');
  measure('wasm native', [...INPUT_GRADS, ...WIDE_FORWARD]);
  registerConvGradKernels('wasm', { replace: ['Conv2DBackpropInput'] });
  registerWasmKernels();
  measure('wasm (ours)', workloads);
  for (const w of workloads) {
    const base = results.get('cpu native')?.get(w) ?? Number.NaN;
    console.log('');
    for (const [label, times] of results) {
      const ms = times.get(w);
      if (ms !== undefined) console.log(row(w, label, ms, base));
    }
  }
}

function row(w: Workload, label: string, ms: number, base: number): string {
  const gflops = (w.flops / ms / 1e6).toFixed(2).padStart(6);
  const ratio = (base / ms).toFixed(1).padStart(7);
  const time = `${ms.toFixed(1).padStart(8)} ms ${gflops} GFLOP/s`;
  return `${w.name.padEnd(30)} ${label.padEnd(12)} ${time} ${ratio}x cpu native`;
}

await main();
