/** @module commands/lsp-thread: the entry of the language server's worker thread (see lsp.ts). */
import { serveLsp } from './lsp-server.js';

serveLsp();
