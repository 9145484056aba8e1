// A tiny static HTTP server for the browser test (no dependencies): serves
// src/AvatarLab.Server/wwwroot at /, tests/facetrack/page at /test/ and an optional media folder
// (test videos made at test time) at /media/. Listens on 127.0.0.1, port 0 (any free port).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const WWWROOT = path.resolve(here, '..', '..', 'src', 'AvatarLab.Server', 'wwwroot');
export const PAGE = path.join(here, 'page');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.bin': 'application/octet-stream', '.wasm': 'application/wasm',
  '.css': 'text/css', '.mp4': 'video/mp4', '.webm': 'video/webm', '.png': 'image/png', '.jpg': 'image/jpeg',
};

/** Starts the server; resolves to { url, close() }. */
export function startServer({ mediaDir } = {}) {
  const mounts = [['/test/', PAGE], ['/media/', mediaDir], ['/', WWWROOT]].filter(([, dir]) => dir);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let pathname;
    try { pathname = decodeURIComponent(url.pathname); } catch { pathname = ''; }
    const mount = mounts.find(([prefix]) => pathname.startsWith(prefix));
    const root = mount?.[1];
    let file = root && path.join(root, pathname.slice(mount[0].length));
    if (file && !file.startsWith(root)) file = undefined; // no ../ escapes
    if (file && fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!file || !fs.existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${pathname}`);
      return;
    }
    const size = fs.statSync(file).size;
    const headers = { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'accept-ranges': 'bytes', 'cache-control': 'no-store' };
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    if (range) {
      const start = range[1] ? Number(range[1]) : size - Number(range[2]);
      const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${size}`, 'content-length': end - start + 1 });
      fs.createReadStream(file, { start, end }).pipe(res);
      return;
    }
    res.writeHead(200, { ...headers, 'content-length': size });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }) });
    });
  });
}
