#!/usr/bin/env node
'use strict';
require('../dist/rip6query-main.js');
