/** A problem with the command line: printed as one line without a stack, exit code 2 (`PG_USAGE`). */
import { PullguardError } from './pullguard-error.js';

export class UsageError extends PullguardError {
  constructor(message: string, options?: ErrorOptions) {
    super('PG_USAGE', message, options);
    this.name = 'UsageError';
  }
}
