// Makes the compiled CLI executable so `npx switchyard` works right after `npm ci`.
const fs = require('node:fs');
const path = require('node:path');
const cli = path.join(__dirname, '..', 'dist', 'bin', 'switchyard.js');
if (fs.existsSync(cli)) fs.chmodSync(cli, 0o755);
