'use strict';
// See package.json: a development-only stand-in; anything that really needs isolated-vm fails loudly here.
throw new Error(
  "isolated-vm is not installed in Takt's development tree (it needs Node 24 to build); run n8n itself for its VM expression engine.",
);
