import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

/**
 * What the lab answers to a request Node's HTTP parser refuses before any route sees it (malformed
 * request line or header, conflicting Content-Length, headers over the size limit, a request that
 * took too long): the lab's own `{error, message}` shape, then the connection is closed. Replaces
 * fastify's default, whose body has its own shape (`{error: "Bad Request", message, statusCode}`).
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, error, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'request_timeout', 'the request was not received in time']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers_too_large', 'the request line and headers exceed the allowed size (16 KiB)']
        : [400, 'bad_request', 'the request is not valid HTTP/1.1 (malformed request line, header or body framing)'];
  const body = JSON.stringify({ error, message });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}
