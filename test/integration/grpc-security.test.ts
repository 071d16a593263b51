/**
 * A trainer with a bearer token and mutual TLS, certificates made by openssl in the test: a caller
 * with everything is served; one without the token gets UNAUTHENTICATED; one without a client
 * certificate, or without TLS, cannot connect at all.
 */
import { credentials, Metadata, status } from '@grpc/grpc-js';
import { lastValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTrainerClient,
  type TrainerClientOptions,
} from '../../controller/trainer-client/index.ts';
import {
  callFailure,
  healthCheck,
  killTrainers,
  makeCertificates,
  spawnTrainer,
  TINY,
  type TestCertificates,
  type TrainerProcess,
} from './grpc-helpers.ts';

const TOKEN = 'test-token-0123456789';

describe('a trainer with a token and mutual TLS', () => {
  let trainer: TrainerProcess;
  let certs: TestCertificates;

  beforeAll(async () => {
    certs = await makeCertificates();
    trainer = await spawnTrainer(['--backend', 'cpu', ...certs.serverFlags], {
      NAS_TRAINER_TOKEN: TOKEN,
    });
  }, 60_000);
  afterAll(killTrainers);

  async function withClient<T>(
    options: Omit<TrainerClientOptions, 'address'>,
    use: (c: ReturnType<typeof createTrainerClient>) => Promise<T>,
  ): Promise<T> {
    const client = createTrainerClient({ address: trainer.address, ...options });
    try {
      return await use(client);
    } finally {
      client.close();
    }
  }

  it('serves a caller with the CA, a client certificate and the token (GetInfo and health over TLS)', async () => {
    const info = await withClient({ token: TOKEN, tls: certs.client }, (c) => c.info());
    expect(info).toMatchObject({ backend: 'cpu', capacity: 1 });
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${TOKEN}`);
    const pem = (v: Buffer | string | undefined): Buffer => Buffer.from(v ?? '');
    const creds = credentials.createSsl(
      pem(certs.client.ca),
      pem(certs.client.key),
      pem(certs.client.cert),
    );
    expect(await healthCheck(trainer.address, creds, metadata)).toEqual({ status: 'SERVING' });
  });

  it('refuses calls without the token, or with another one, with UNAUTHENTICATED', async () => {
    for (const token of [undefined, 'another-token-000']) {
      const options = { tls: certs.client, ...(token === undefined ? {} : { token }) };
      const info = await withClient(options, (c) => callFailure(c.info()));
      expect(info.grpcCode).toBe(status.UNAUTHENTICATED);
      expect(info.retryable).toBe(false);
      const trial = await withClient(options, (c) => callFailure(lastValueFrom(c.trial(TINY))));
      expect(trial.grpcCode).toBe(status.UNAUTHENTICATED);
    }
  });

  it('cannot be reached without a client certificate or without TLS', async () => {
    const callers = [{ tls: { ca: certs.client.ca ?? '' } }, {}];
    for (const caller of callers) {
      const err = await withClient({ ...caller, token: TOKEN, infoDeadlineMs: 3_000 }, (c) =>
        callFailure(c.info()),
      );
      expect([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]).toContain(err.grpcCode);
    }
  });
});
