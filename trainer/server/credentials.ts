/** Server credentials from the serve options: plaintext, TLS, or mutual TLS (client certificates required). */
import { readFile } from 'node:fs/promises';
import { ServerCredentials } from '@grpc/grpc-js';
import { CellsearchError } from '../../shared/errors.ts';

/** PEM files of the trainer's TLS identity; with `ca`, clients must present a certificate it signed. */
export interface TlsFiles {
  readonly cert: string;
  readonly key: string;
  readonly ca?: string;
}

/** A TLS file that cannot be read. */
export class TlsFileError extends CellsearchError {
  constructor(
    readonly file: string,
    what: string,
    reason: string,
  ) {
    super('TLS_FILE_UNREADABLE', `cannot read the ${what} ${file}: ${reason}`);
  }
}

/** Credentials for `tls` (plaintext when undefined). */
export async function serverCredentials(tls: TlsFiles | undefined): Promise<ServerCredentials> {
  if (tls === undefined) return ServerCredentials.createInsecure();
  const [cert, key, ca] = await Promise.all([
    readPem(tls.cert, 'TLS certificate (--tls-cert)'),
    readPem(tls.key, 'TLS private key (--tls-key)'),
    tls.ca === undefined ? null : readPem(tls.ca, 'client CA certificate (--tls-ca)'),
  ]);
  return ServerCredentials.createSsl(ca, [{ cert_chain: cert, private_key: key }], ca !== null);
}

async function readPem(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new TlsFileError(file, what, err instanceof Error ? err.message : String(err));
  }
}
