#!/usr/bin/env node
// Registers a copy of the AWS CLI's own Step Functions model as the command `aws switchyard`, signing
// for API Gateway (SigV4 service `execute-api`) instead of `states`, so the CLI can call a deployed
// Switchyard whose front door requires AWS_IAM: `aws switchyard list-state-machines --endpoint-url URL`.
// Usage: node scripts/aws-cli-model.js [path/to/stepfunctions/service-2.json] [--aws /path/to/aws]
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');

const args = process.argv.slice(2);
const awsAt = args.indexOf('--aws');
const aws = awsAt >= 0 ? args.splice(awsAt, 2)[1] : 'aws';
const MODEL = path.join('botocore', 'data', 'stepfunctions', '2016-11-23', 'service-2.json');

/** Where the installed CLI keeps its models: Debian's awscli (v2) bundles botocore; v1 uses the python botocore. */
function findModel() {
  if (args[0]) return args[0];
  const roots = ['/usr/lib/python3/dist-packages/awscli', '/usr/local/aws-cli/v2/current/dist/awscli'];
  for (const python of ['python3', 'python']) {
    try {
      roots.push(path.dirname(execFileSync(python, ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))']).toString().trim()));
    } catch {
      // that python has no botocore
    }
  }
  for (const root of roots) for (const file of [path.join(root, MODEL), `${path.join(root, MODEL)}.gz`]) if (fs.existsSync(file)) return file;
  throw new Error(`No Step Functions model found under ${roots.join(', ')}; give the path of stepfunctions/2016-11-23/service-2.json`);
}

const file = findModel();
const raw = fs.readFileSync(file);
const model = JSON.parse((file.endsWith('.gz') ? zlib.gunzipSync(raw) : raw).toString('utf8'));
model.metadata = { ...model.metadata, signingName: 'execute-api', serviceFullName: 'Switchyard (AWS Step Functions API)' };
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-model-')), 'service-2.json');
fs.writeFileSync(out, JSON.stringify(model));
execFileSync(aws, ['configure', 'add-model', '--service-model', `file://${out}`, '--service-name', 'switchyard'], { stdio: 'inherit' });
console.log(`Added \`aws switchyard\` (the Step Functions commands, signed for execute-api) from ${file}.`);
