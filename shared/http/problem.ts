/**
 * RFC 9457 problem details: the only shape an error leaves the API in.
 */

import type { FieldError } from '../domain/field-error';

export type { FieldError };

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** An error that the API answers with as it is: its status, its detail and, for validation, every bad field. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly options: {
      readonly errors?: readonly FieldError[];
      readonly headers?: Readonly<Record<string, string>>;
      readonly cause?: unknown;
    } = {},
  ) {
    super(detail, { cause: options.cause });
  }
}

export function problemTitle(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

/** The `type` URI of a status: stable, so that clients can switch on it. */
export function problemType(status: number): string {
  return `https://vision-progress.dev/problems/${status}`;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  correlationId: string;
  errors?: FieldError[];
}

export function problemBody(
  status: number,
  detail: string,
  correlationId: string,
  errors?: readonly FieldError[],
): ProblemBody {
  return {
    type: problemType(status),
    title: problemTitle(status),
    status,
    detail,
    correlationId,
    ...(errors ? { errors: [...errors] } : {}),
  };
}
