#!/usr/bin/env node
/** @module main: the `proxy` command. */
console.log('proxy');
