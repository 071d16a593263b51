/** Errors of the wire layer. */
import { CellsearchError } from '../shared/errors.ts';

/** A message from the other side that has the right type but cannot mean anything (an empty oneof, an unset enum). */
export class WireMessageError extends CellsearchError {
  constructor(message: string) {
    super('BAD_WIRE_MESSAGE', message);
  }
}
