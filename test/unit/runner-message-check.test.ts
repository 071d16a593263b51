/**
 * The check of the messages across the trial process boundary: every message either side sends
 * passes it unchanged (after the structured clone the IPC channel makes), a result's numbers pass
 * whatever they are (their meaning is the controller's check), and anything malformed is refused
 * with the path of what is wrong.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidValueError } from '../../shared/errors.ts';
import {
  parseFromRunner,
  parseToRunner,
  RunnerMessageError,
} from '../../trainer/runner/runner-message-check.ts';
import type { FromRunner, ToRunner } from '../../trainer/runner/runner-protocol.ts';
import { answeredArb, corruptedArb, smallRequest } from '../arbitraries/trial-result.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';

const BACKEND = {
  choice: 'auto',
  loaded: 'wasm',
  backend: 'wasm',
  device: 'cpu (wasm, 1 thread, simd; test)',
  skipped: ['tfjs backend "node" cannot be used: not installed'],
} as const;

/** The message as the other side receives it. */
const across = <T>(message: T): unknown => structuredClone(message);

describe('parseFromRunner', () => {
  it('passes every message a trial process sends', () => {
    const messages: FromRunner[] = [
      { type: 'ready', backend: BACKEND },
      { type: 'start-failed', failure: { name: 'Error', code: 'X', message: 'no wasm' } },
      { type: 'planned', params: 10, multAdds: 20 },
      { type: 'step', step: 3, totalSteps: 9 },
      { type: 'refused', status: { code: 3, details: 'bad genotype' }, healthy: true },
    ];
    for (const message of messages) expect(parseFromRunner(across(message))).toEqual(message);
  });

  it('passes every believable result and its epochs unchanged', () => {
    fc.assert(
      fc.property(answeredArb, fc.boolean(), ({ result }, healthy) => {
        const message: FromRunner = { type: 'result', result, healthy };
        expect(parseFromRunner(across(message))).toEqual(message);
        for (const metrics of result.epochs)
          expect(parseFromRunner(across({ type: 'epoch', metrics }))).toEqual({
            type: 'epoch',
            metrics,
          });
      }),
      { numRuns: 30 },
    );
  });

  it('passes a result whose numbers mean nothing: the controller refuses those by name', () => {
    fc.assert(
      fc.property(corruptedArb, ({ result }) => {
        const message: FromRunner = { type: 'result', result, healthy: true };
        expect(parseFromRunner(across(message))).toEqual(message);
      }),
      { numRuns: 30 },
    );
  });

  it.each([
    ['not an object', 'hello', 'message'],
    ['an unknown type', { type: 'done' }, 'type'],
    ['a step count that is not one', { type: 'step', step: -1, totalSteps: 9 }, 'step'],
    [
      'a status that is no gRPC code',
      { type: 'refused', status: { code: 99, details: '' }, healthy: true },
      'status.code',
    ],
    [
      'a result without its status',
      { type: 'result', result: { reason: '' }, healthy: true },
      'result.status',
    ],
    ['a string for a number', { type: 'planned', params: '10', multAdds: 20 }, 'params'],
    [
      'an unknown backend',
      { type: 'ready', backend: { ...BACKEND, loaded: 'gpu' } },
      'backend.loaded',
    ],
  ])('refuses %s, naming where', (_what, message, path) => {
    expect(() => parseFromRunner(message)).toThrow(RunnerMessageError);
    expect(() => parseFromRunner(message)).toThrow(
      new RegExp(`^the trial process sent a malformed message: ${path.replace('.', '\\.')}:`),
    );
  });
});

describe('parseToRunner', () => {
  const request = smallRequest(NASNET_A);

  it('passes every message the server sends', () => {
    const messages: ToRunner[] = [
      { type: 'configure', config: { backend: 'wasm', logLevel: 'info' } },
      { type: 'configure', config: { backend: 'node', threads: 4, logLevel: 'warn' } },
      { type: 'run', request },
      {
        type: 'run',
        request,
        datasetLimits: { root: '/data', memory: { bytes: 2 ** 30, name: '--max-memory' } },
      },
      { type: 'cancel', reason: 'the caller cancelled the trial' },
    ];
    for (const message of messages) expect(parseToRunner(across(message))).toEqual(message);
  });

  it('refuses a request its schema refuses, as the wire would', () => {
    const blocks = NASNET_A.normal.blocks.map((b, i) => (i === 1 ? { ...b, inputA: 9 } : b));
    const bad = { ...request, genotype: { ...NASNET_A, normal: { ...NASNET_A.normal, blocks } } };
    expect(() => parseToRunner({ type: 'run', request: bad })).toThrow(InvalidValueError);
    expect(() => parseToRunner({ type: 'run', request: bad })).toThrow('normal.blocks[1].inputA');
  });

  it.each([
    ['no type', {}],
    ['an unknown backend', { type: 'configure', config: { backend: 'gpu', logLevel: 'info' } }],
    [
      'zero threads',
      { type: 'configure', config: { backend: 'node', threads: 0, logLevel: 'info' } },
    ],
    ['a cancel without its reason', { type: 'cancel' }],
  ])('refuses %s', (_what, message) => {
    expect(() => parseToRunner(message)).toThrow(RunnerMessageError);
  });
});
