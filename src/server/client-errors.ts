/**
 * What Node's HTTP server answers on its own, before fastify sees a request, made to answer in the webhook's error
 * shape: parser errors (garbage, bad chunking, an HTTP/2 preface, headers too large, timeouts), an `Expect` header
 * it cannot meet, and CONNECT. Node's defaults send a bare status line or close the socket without a word.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { clip, LOG_LIMITS } from '../observability/bounded-text.js';
import { errorJson, rawErrorResponse, type ErrorCode, ERROR_STATUS } from './error-replies.js';

interface DebugLog {
  debug(obj: object, msg: string): void;
}

/** How long a socket that got its error answer may linger before it is destroyed. */
const LINGER_MS = 2_000;

/** Parser error codes (llhttp's, and Node's timeout) → the answer. */
export function classifyClientError(code: string | undefined): { readonly code: ErrorCode; readonly message: string } {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { code: 'REQUEST_TIMEOUT', message: 'the request did not arrive in time' };
    case 'HPE_HEADER_OVERFLOW':
      return { code: 'HEADERS_TOO_LARGE', message: 'the request line and headers exceed 16 KiB' };
    case 'HPE_PAUSED_H2_UPGRADE':
      return { code: 'BAD_REQUEST', message: 'HTTP/2 is not served on this port; use HTTP/1.1' };
    case 'HPE_INVALID_CHUNK_SIZE':
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { code: 'BAD_REQUEST', message: 'malformed chunked transfer encoding' };
    default:
      return {
        code: 'BAD_REQUEST',
        message: `malformed HTTP request${code ? ` (${clip(code, LOG_LIMITS.label)})` : ''}`,
      };
  }
}

/** fastify's `clientErrorHandler` option: Node's 'clientError' (fastify attaches it first, so it must be this). */
export function clientErrorHandler(log: DebugLog): (error: NodeJS.ErrnoException, socket: Duplex) => void {
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return; // nobody left to answer
    const answer = classifyClientError(error.code);
    log.debug({ code: clip(error.code, LOG_LIMITS.label), answer: answer.code }, 'malformed HTTP request');
    // A response already under way on this connection cannot be followed by another status line.
    const current = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !current?.headersSent) endWith(socket, rawErrorResponse(answer.code, answer.message));
    else socket.destroy();
  };
}

/** The other answers Node gives on its own: an `Expect` it cannot meet, and CONNECT. */
export function answerExpectationsAndConnect(server: Server): void {
  // Node answers an Expect other than 100-continue with a bare 417.
  server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => {
    const body = errorJson(
      'EXPECTATION_FAILED',
      `cannot meet "Expect: ${clip(request.headers.expect ?? '', LOG_LIMITS.label)}"; only 100-continue is supported`,
    );
    response.writeHead(ERROR_STATUS.EXPECTATION_FAILED, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    });
    response.end(body);
  });
  // Without a listener, Node closes a CONNECT request's socket without an answer.
  server.on('connect', (request: IncomingMessage, socket: Duplex) => {
    endWith(
      socket,
      rawErrorResponse('NOT_FOUND', `no route CONNECT ${clip(request.url ?? '', LOG_LIMITS.name)}; POST /validate`),
    );
  });
}

/** Writes `response` and half-closes; destroys the socket if the client does not close its side soon. */
function endWith(socket: Duplex, response: string): void {
  socket.on('error', () => undefined); // a client that resets while reading its answer is not our problem
  socket.end(response);
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}
