/** install-tensorflow's pure parts: the plan (cpu and gpu), platforms, wheel names, flags, manifest, disk space. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidValueError } from '../../shared/errors.ts';
import { checkFreeSpace } from '../../trainer/native/disk-space.ts';
import {
  InsufficientDiskSpaceError,
  UnsupportedPlatformError,
  WheelNotUsableError,
} from '../../trainer/native/errors.ts';
import { manifestMatches } from '../../trainer/native/install-manifest.ts';
import { parseInstallFlags } from '../../trainer/native/install-options.ts';
import {
  checkPlatform,
  cudaLinks,
  cudaMemberDestination,
  installPlan,
  pipDownloadArgs,
  tensorflowMemberDestination,
} from '../../trainer/native/install-plan.ts';
import { isNativeManifest, type NativeManifest } from '../../trainer/native/native-layout.ts';
import {
  classifyWheels,
  parseWheelName,
  pickDownloadedWheels,
} from '../../trainer/native/wheel-name.ts';

const ENV = { NAS_NATIVE_DIR: '/cache/cs' };
const CPU_WHEEL = 'tensorflow_cpu-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl';
const GPU_WHEEL = 'tensorflow-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl';
const CUBLAS = 'nvidia_cublas_cu12-12.9.1.4-py3-none-manylinux_2_27_x86_64.whl';

/** The headers `g++ -M` lists for tfjs-node 4.22's binding against TensorFlow 2.21's wheel. */
const COMPILED_HEADERS = [
  'tensorflow/c/c_api.h',
  'tensorflow/c/c_api_macros.h',
  'tensorflow/c/eager/c_api.h',
  'tensorflow/c/tf_attrtype.h',
  'tensorflow/c/tf_buffer.h',
  'tensorflow/c/tf_datatype.h',
  'tensorflow/c/tf_status.h',
  'tensorflow/c/tf_tensor.h',
  'tensorflow/c/tf_tstring.h',
  'tensorflow/core/platform/ctstring.h',
  'tensorflow/core/platform/ctstring_internal.h',
  'tsl/platform/ctstring.h',
  'tsl/platform/ctstring_internal.h',
  'xla/tsl/c/tsl_status.h',
];

describe('installPlan', () => {
  it('plans the cpu install: tfjs-node from tensorflow-cpu, without dependencies', () => {
    const plan = installPlan('cpu', '2.21.0', ENV);
    expect(plan.package).toBe('@tensorflow/tfjs-node');
    expect(plan.pipRequirement).toBe('tensorflow-cpu==2.21.0');
    expect(pipDownloadArgs(plan, '/tmp/w')).toEqual([
      '-m',
      'pip',
      'download',
      '--no-deps',
      '--only-binary=:all:',
      '--disable-pip-version-check',
      '--dest',
      '/tmp/w',
      'tensorflow-cpu==2.21.0',
    ]);
    expect(plan.layout.dir).toBe('/cache/cs/native/tfjs-node-4.22.0-napi8');
    expect(plan.layout.binding).toBe(
      '/cache/cs/native/tfjs-node-4.22.0-napi8/package/lib/napi-v8/tfjs_binding.node',
    );
    expect(plan.links).toEqual([
      { path: 'deps/lib/libtensorflow.so', target: 'libtensorflow_cc.so.2' },
      { path: 'deps/lib/libtensorflow_framework.so', target: 'libtensorflow_framework.so.2' },
    ]);
    expect(plan.requiredMembers).toContain('tensorflow/libtensorflow_cc.so.2');
    expect(plan.withCudaLibraries).toBe(false);
  });

  it('plans the gpu install: tfjs-node-gpu from tensorflow[and-cuda] with its nvidia wheels', () => {
    const plan = installPlan('gpu', '2.21.0', ENV);
    expect(plan.package).toBe('@tensorflow/tfjs-node-gpu');
    expect(plan.pipRequirement).toBe('tensorflow[and-cuda]==2.21.0');
    expect(pipDownloadArgs(plan, '/tmp/w')).not.toContain('--no-deps');
    expect(plan.tensorflowDistributions).toEqual(['tensorflow']);
    expect(plan.withCudaLibraries).toBe(true);
    expect(plan.layout.dir).toBe('/cache/cs/native/tfjs-node-gpu-4.22.0-napi8');
    expect(plan.layout.libDir).toBe('/cache/cs/native/tfjs-node-gpu-4.22.0-napi8/package/deps/lib');
  });

  it('places the libraries in deps/lib and every header the binding compiles in deps/include', () => {
    expect(tensorflowMemberDestination('tensorflow/libtensorflow_cc.so.2')).toBe(
      'deps/lib/libtensorflow_cc.so.2',
    );
    expect(tensorflowMemberDestination('tensorflow/libtensorflow_framework.so.2')).toBe(
      'deps/lib/libtensorflow_framework.so.2',
    );
    for (const header of COMPILED_HEADERS) {
      expect(tensorflowMemberDestination(`tensorflow/include/${header}`)).toBe(
        `deps/include/${header}`,
      );
    }
  });

  it('leaves the rest of the wheel alone', () => {
    for (const member of [
      'tensorflow/python/_pywrap_tensorflow_internal.so',
      'tensorflow/include/tensorflow/core/framework/tensor.h',
      'tensorflow/include/tensorflow/tsl/platform/ctstring.h',
      'tensorflow/xla_aot_runtime_src/tsl/platform/ctstring.h',
      'tensorflow/include/tensorflow/c/',
      'tensorflow/libtensorflow_cc.so.2.21.0',
    ]) {
      expect(tensorflowMemberDestination(member)).toBeUndefined();
    }
  });

  it('mirrors nvidia-* wheel libraries under deps/nvidia and links them into deps/lib', () => {
    expect(cudaMemberDestination('nvidia/cublas/lib/libcublas.so.12')).toBe(
      'deps/nvidia/cublas/lib/libcublas.so.12',
    );
    expect(cudaMemberDestination('nvidia/cudnn/lib/libcudnn.so.9')).toBe(
      'deps/nvidia/cudnn/lib/libcudnn.so.9',
    );
    expect(cudaMemberDestination('nvidia/cudnn/include/cudnn.h')).toBeUndefined();
    expect(cudaMemberDestination('nvidia/__init__.py')).toBeUndefined();
    expect(cudaMemberDestination('nvidia/cuda_nvcc/bin/ptxas')).toBeUndefined();
    expect(
      cudaLinks([
        'deps/nvidia/cublas/lib/libcublas.so.12',
        'deps/nvidia/cublas/lib/libcublasLt.so.12',
        'deps/nvidia/other/lib/libcublas.so.12',
      ]),
    ).toEqual([
      { path: 'deps/lib/libcublas.so.12', target: '../nvidia/cublas/lib/libcublas.so.12' },
      { path: 'deps/lib/libcublasLt.so.12', target: '../nvidia/cublas/lib/libcublasLt.so.12' },
    ]);
  });
});

describe('checkPlatform', () => {
  it('accepts linux x64', () => {
    expect(() => checkPlatform('linux', 'x64')).not.toThrow();
  });

  it('refuses every other platform, naming it', () => {
    const platforms = fc.constantFrom('linux', 'darwin', 'win32', 'freebsd', 'aix');
    const arches = fc.constantFrom('x64', 'arm64', 'ia32', 'ppc64', 's390x');
    fc.assert(
      fc.property(platforms, arches, (platform, arch) => {
        fc.pre(platform !== 'linux' || arch !== 'x64');
        expect(() => checkPlatform(platform, arch)).toThrow(UnsupportedPlatformError);
        expect(() => checkPlatform(platform, arch)).toThrow(`${platform}-${arch}`);
      }),
    );
  });
});

describe('wheel names', () => {
  it('parses PEP 427 names, normalising the distribution', () => {
    expect(parseWheelName(`/x/${CPU_WHEEL}`)).toEqual({
      distribution: 'tensorflow_cpu',
      version: '2.21.0',
      platform: 'manylinux_2_27_x86_64',
    });
    expect(parseWheelName('Foo.Bar-1.0-1-py3-none-any.whl')?.distribution).toBe('foo_bar');
    expect(parseWheelName('tensorflow.zip')).toBeUndefined();
  });

  it('takes a tensorflow-cpu or tensorflow wheel for cpu, and nvidia wheels only for gpu', () => {
    const cpu = installPlan('cpu', '2.21.0', ENV);
    const gpu = installPlan('gpu', '2.21.0', ENV);
    expect(classifyWheels([`/w/${CPU_WHEEL}`], cpu)).toEqual({
      tensorflow: `/w/${CPU_WHEEL}`,
      cuda: [],
    });
    expect(classifyWheels([GPU_WHEEL], cpu).tensorflow).toBe(GPU_WHEEL);
    expect(classifyWheels([GPU_WHEEL, CUBLAS], gpu)).toEqual({
      tensorflow: GPU_WHEEL,
      cuda: [CUBLAS],
    });
    expect(() => classifyWheels([CPU_WHEEL], gpu)).toThrow(
      /tensorflow_cpu; allowed: tensorflow, plus nvidia/,
    );
    expect(() => classifyWheels([CPU_WHEEL, CUBLAS], cpu)).toThrow(WheelNotUsableError);
  });

  it('refuses wheels for other platforms, two TensorFlow wheels, none, and other files', () => {
    const cpu = installPlan('cpu', '2.21.0', ENV);
    const mac = 'tensorflow-2.21.0-cp311-cp311-macosx_12_0_arm64.whl';
    expect(() => classifyWheels([mac], cpu)).toThrow(
      /built for macosx_12_0_arm64; allowed: linux x86_64/,
    );
    expect(() => classifyWheels([CPU_WHEEL, GPU_WHEEL], cpu)).toThrow(/two TensorFlow wheels/);
    expect(() => classifyWheels([], cpu)).toThrow(/no TensorFlow wheel/);
    expect(() => classifyWheels(['libtensorflow.tar.gz'], cpu)).toThrow(/not a wheel file name/);
  });

  it("keeps only the plan's wheels of what pip downloaded", () => {
    const gpu = installPlan('gpu', '2.21.0', ENV);
    const numpy = 'numpy-2.3.0-cp311-cp311-manylinux_2_28_x86_64.whl';
    expect(pickDownloadedWheels([numpy, GPU_WHEEL, CUBLAS], gpu)).toEqual({
      tensorflow: GPU_WHEEL,
      cuda: [CUBLAS],
    });
  });
});

describe('options, manifest and disk space', () => {
  it('names a bad --tensorflow-version', () => {
    const flags = { gpu: false, python: 'python3', tensorflowVersion: 'latest', force: false };
    expect(() => parseInstallFlags(flags, '/')).toThrow(InvalidValueError);
    expect(() => parseInstallFlags(flags, '/')).toThrow(/--tensorflow-version: "latest"/);
    const ok = parseInstallFlags({ ...flags, tensorflowVersion: '2.21.0', wheel: ['w.whl'] }, '/d');
    expect(ok).toEqual({
      variant: 'cpu',
      wheels: ['/d/w.whl'],
      python: 'python3',
      tensorflowVersion: '2.21.0',
      force: false,
    });
  });

  it('matches a manifest to the same package and wheel only', () => {
    const plan = installPlan('cpu', '2.21.0', ENV);
    const manifest: NativeManifest = {
      package: '@tensorflow/tfjs-node',
      tfjsVersion: '4.22.0',
      napiVersion: 8,
      tensorflowVersion: '2.21.0',
      wheel: CPU_WHEEL,
      installedAt: '2026-12-03T10:00:00.000Z',
    };
    expect(isNativeManifest(manifest)).toBe(true);
    expect(isNativeManifest({ ...manifest, napiVersion: '8' })).toBe(false);
    expect(manifestMatches(manifest, plan, undefined)).toBe(true);
    expect(manifestMatches(manifest, plan, CPU_WHEEL)).toBe(true);
    expect(manifestMatches(manifest, plan, GPU_WHEEL)).toBe(false);
    expect(manifestMatches(manifest, installPlan('cpu', '2.20.0', ENV), undefined)).toBe(false);
    expect(manifestMatches(manifest, installPlan('gpu', '2.21.0', ENV), undefined)).toBe(false);
    expect(manifestMatches({ ...manifest, wheel: GPU_WHEEL }, plan, undefined)).toBe(false);
  });

  it('names the folder, the free and the needed space', () => {
    expect(() => checkFreeSpace('/cache/cs', 1e9, 9e8)).not.toThrow();
    expect(() => checkFreeSpace('/cache/cs', 500e6, 918e6)).toThrow(InsufficientDiskSpaceError);
    expect(() => checkFreeSpace('/cache/cs', 500e6, 918e6)).toThrow(
      '/cache/cs has 500 MB free but the install needs 918 MB',
    );
  });
});
