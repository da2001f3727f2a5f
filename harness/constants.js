'use strict';
/**
 * What every part of the harness agrees on: where the repository is, the n8n owner it sets up, the fixed
 * encryption key, and our node's and credential's types as n8n names them. CommonJS, Node built-ins only.
 */
const path = require('path');

/** @typedef {(message: string) => void} Log */

const REPO_ROOT = path.resolve(__dirname, '..');
// Fixed so credentials written by one run can be read by the next one (persistent `npm start` folder).
const ENCRYPTION_KEY = 'aiconnect-harness-fixed-encryption-key';
const NODE_TYPE = 'n8n-nodes-aiconnect.aiConnect';
const CREDENTIAL_TYPE = 'aiConnectApi';
const OWNER = { email: 'owner@aiconnect.local', firstName: 'Ada', lastName: 'Owner', password: 'AIConnect-dev-1' };

/** @type {Log} */
const defaultLog = (msg) => void process.stderr.write(`[harness] ${msg}\n`);

module.exports = { REPO_ROOT, ENCRYPTION_KEY, NODE_TYPE, CREDENTIAL_TYPE, OWNER, defaultLog };
