/** @module register: loads every module registration (matchers, directives, global options, listener wrappers). */
import './matchers/index.js';
import './directives/index.js';
import './options/index.js';
