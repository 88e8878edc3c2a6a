/**
 * @module diff/fixtures: the site root both servers read (one per run, read-only during scenarios). Every file
 * gets the same fixed mtime so Last-Modified and browse listings agree between the two servers.
 */
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, gzipSync, zstdCompressSync } from 'node:zlib';
import { templateFiles } from './fixtures-templates.js';

const FIXED_MTIME = new Date('2024-01-02T03:04:05Z');

const appJs = `// app.js\n${'console.log("precompressed");\n'.repeat(40)}`;

const files: Record<string, string | Buffer> = {
  'index.html': '<!DOCTYPE html>\n<h1>home</h1>\n',
  'a.txt': 'hello a\n',
  'b.json': '{"b":1}\n',
  'style.css': 'body { color: red; }\n',
  'a b.txt': 'space in name\n',
  'ünï.txt': 'unicode name\n',
  '.secret': 'dot file\n',
  'hidden.txt': 'hidden by rule\n',
  'big.txt': `${'0123456789abcdef'.repeat(64)}\n`.repeat(100),
  'docs/index.html': '<h1>docs</h1>\n',
  'docs/page.txt': 'docs page\n',
  'files/x.txt': 'x\n',
  'files/y.md': '# y\n',
  'files/z.json': '{}\n',
  'files/sub/deep.txt': 'deep\n',
  'static/app.js': appJs,
  'static/app.js.gz': gzipSync(appJs),
  'static/app.js.br': brotliCompressSync(appJs),
  'static/app.js.zst': zstdCompressSync(Buffer.from(appJs)),
  'static/only.css': 'a{}\n',
  'errors/404.html': '<h1>custom 404</h1>\n',
  'errors/500.html': '<h1>custom 500</h1>\n',
  'spa/index.html': '<h1>spa shell</h1>\n',
  'spa/real.txt': 'real spa file\n',
  'alt/index.txt': 'alternate index\n',
  'php/index.php': '<?php echo "php index ", $_SERVER["REQUEST_URI"], "\\n";\n',
  'php/info.php': [
    '<?php',
    'header("Content-Type: text/plain");',
    'foreach (["REQUEST_METHOD","REQUEST_URI","SCRIPT_NAME","SCRIPT_FILENAME","PATH_INFO","QUERY_STRING","DOCUMENT_ROOT",',
    '  "SERVER_NAME","SERVER_PROTOCOL","CONTENT_LENGTH","CONTENT_TYPE","HTTP_X_TEST","HTTPS","GATEWAY_INTERFACE"] as $k) {',
    '  echo $k, "=", $_SERVER[$k] ?? "(unset)", "\\n";',
    '}',
    'echo "body=", file_get_contents("php://input"), "\\n";',
    '',
  ].join('\n'),
  'php/pathinfo.php':
    '<?php echo "SCRIPT_NAME=", $_SERVER["SCRIPT_NAME"], " PATH_INFO=", $_SERVER["PATH_INFO"] ?? "(unset)", "\\n";\n',
  ...templateFiles,
  'php/status.php': '<?php http_response_code(418); header("X-Php: yes"); echo "teapot\\n";\n',
  'php/sub/page.txt': 'static next to php\n',
};

/** Creates the fixture tree and returns its root. */
export function makeFixtures(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'proxy-diff-root-'));
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  const touch = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) touch(p);
      utimesSync(p, FIXED_MTIME, FIXED_MTIME);
    }
  };
  touch(root);
  utimesSync(root, FIXED_MTIME, FIXED_MTIME);
  return root;
}
