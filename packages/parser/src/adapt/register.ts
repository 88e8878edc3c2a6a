/** @module register: loads every module registration (matchers, directives, global options, listener wrappers, caddy-l4's modules). */
import './matchers/index.js';
import './directives/index.js';
import './options/index.js';
import './layer4/index.js';
