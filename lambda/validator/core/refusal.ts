/** File-level refusals: the whole file is rejected and nothing from it is stored. */
import { AppError } from '../../shared/errors';

export type RefusalCode =
  | 'BAD_KEY'
  | 'EMPTY_FILE'
  | 'NO_HEADER'
  | 'MISSING_COLUMN'
  | 'DUPLICATE_COLUMN'
  | 'SENSITIVE_DATA'
  | 'FILE_TOO_LARGE'
  | 'TOO_MANY_ROWS'
  | 'LINE_TOO_LONG'
  | 'NOT_UTF8'
  | 'MALFORMED_CSV';

export class FileRefusedError extends AppError {
  readonly refusal: RefusalCode;
  /** Line of the file where the problem was found, when known. */
  readonly line?: number;

  constructor(code: RefusalCode, message: string, line?: number) {
    super(code, message, 422);
    this.refusal = code;
    this.line = line;
  }
}
