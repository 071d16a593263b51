/**
 * The protocol a controller needs of a trainer: every trial goes over the Session RPC, which
 * protocol 1.1 added, so a trainer that answers GetInfo with an older (or another major) protocol
 * is refused, once and in plain words, instead of failing each trial with UNIMPLEMENTED.
 */
import { CellsearchError } from '../../shared/errors.ts';

/** The first protocol version with the Session RPC, the one transport this controller uses. */
export const SESSION_PROTOCOL = { major: 1, minor: 1 } as const;

/**
 * A trainer whose protocol has no Session RPC. Not retryable: the same trainer gives the same answer
 * until it is upgraded (a fleet keeps asking it, so an upgrade there is picked up).
 */
export class TrainerProtocolError extends CellsearchError {
  /** Never worth trying again on this trainer, as with a TrainerCallError whose `retryable` is false. */
  readonly retryable = false;
  /** What is wrong and what to do, without the trainer's address (for lines that name it already). */
  readonly advice: string;

  constructor(
    /** The trainer's address. */
    readonly trainer: string,
    /** The protocol version the trainer said it speaks. */
    readonly protocolVersion: string,
  ) {
    const advice = protocolAdvice(protocolVersion);
    super('TRAINER_PROTOCOL_UNSUPPORTED', `trainer ${trainer} ${advice}`);
    this.advice = advice;
  }
}

/**
 * The refusal of the trainer at `trainer` whose GetInfo said `protocolVersion` ("MAJOR.MINOR"), or
 * null when that protocol has the Session RPC.
 */
export function sessionProtocolRefusal(
  trainer: string,
  protocolVersion: string,
): TrainerProtocolError | null {
  const version = parseVersion(protocolVersion);
  const { major, minor } = SESSION_PROTOCOL;
  if (version !== null && version.major === major && version.minor >= minor) return null;
  return new TrainerProtocolError(trainer, protocolVersion);
}

function protocolAdvice(protocolVersion: string): string {
  const { major, minor } = SESSION_PROTOCOL;
  const version = parseVersion(protocolVersion);
  const speaks =
    version === null
      ? `speaks an unknown protocol ${JSON.stringify(protocolVersion)}`
      : `speaks protocol ${protocolVersion}`;
  if (version !== null && version.major > major)
    return `${speaks}; this nas-ctl speaks protocol ${major} (${major}.${minor} or later, for the Session RPC): use a nas-ctl and nas-trainer of the same major version`;
  return `${speaks}; this nas-ctl needs ${major}.${minor} or later (the Session RPC): upgrade nas-trainer there`;
}

function parseVersion(text: string): { major: number; minor: number } | null {
  const match = /^(\d{1,6})\.(\d{1,6})$/.exec(text);
  if (match === null) return null;
  return { major: Number(match[1]), minor: Number(match[2]) };
}
