// The baseline: a bare node:http server that reads each request body and answers a fixed JSON
// document. It does no parsing, signing or crypto, so it shows what HTTP alone costs on this machine.
// `POST /_baseline` with a byte count as its body changes the size of the answer.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixedDocument } from './baseline-document.js';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
let answer = Buffer.from(fixedDocument(0));

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.url === '/_baseline') {
      answer = Buffer.from(fixedDocument(Number(Buffer.concat(chunks).toString('utf8'))));
      res.writeHead(200, { 'content-type': 'text/plain' }).end(String(answer.length));
      return;
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPE,
      'content-length': answer.length,
      'x-amzn-requestid': '00000000-0000-4000-8000-000000000000',
    });
    res.end(answer);
  });
});
server.keepAliveTimeout = 72_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stderr.write(`baseline: listening on http://127.0.0.1:${String(port)}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
});
