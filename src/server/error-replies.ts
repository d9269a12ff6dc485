/**
 * The one error shape of the webhook port, `{"error": {"code", "message"}}`, for every 4xx it sends: from a route,
 * from fastify, and from Node's HTTP parser before any route runs. The codes are documented in docs/findings.md
 * (test/architecture/docs-contract.test.ts keeps the two in step).
 */
import type { FastifyReply } from 'fastify';
import { clip } from '../observability/bounded-text.js';

/** Every error code and the HTTP status it is sent with. */
export const ERROR_STATUS = Object.freeze({
  INVALID_JSON: 400,
  INVALID_REVIEW: 400,
  INVALID_OBJECT: 400,
  BODY_TOO_LARGE: 400,
  TOO_DEEP: 400,
  TOO_COMPLEX: 400,
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  REQUEST_TIMEOUT: 408,
  EXPECTATION_FAILED: 417,
  BUSY: 429,
  HEADERS_TOO_LARGE: 431,
});
export type ErrorCode = keyof typeof ERROR_STATUS;

/** Messages may quote the request (a path, a kind); none needs more than this. */
const MAX_MESSAGE = 1024;

export function errorJson(code: ErrorCode, message: string): string {
  return JSON.stringify({ error: { code, message: clip(message, MAX_MESSAGE) } });
}

/** Answers through fastify (a route, a hook, the error or 404 handler). */
export function sendError(reply: FastifyReply, code: ErrorCode, message: string): FastifyReply {
  return reply.code(ERROR_STATUS[code]).type('application/json; charset=utf-8').send(errorJson(code, message));
}

/**
 * A complete HTTP/1.1 error response for writing straight to a socket, when there is no request object to answer
 * through (the parser failed, or a CONNECT). It always closes the connection: after a parse error nothing more on
 * it can be read reliably.
 */
export function rawErrorResponse(code: ErrorCode, message: string): string {
  const body = errorJson(code, message);
  const status = ERROR_STATUS[code];
  return [
    `HTTP/1.1 ${status} ${REASONS[status]}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  404: 'Not Found',
  408: 'Request Timeout',
  417: 'Expectation Failed',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
};
