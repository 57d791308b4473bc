// Coccinelle's counterpart of `vimage-migrate --transform remove-init-vnet`, for bench/run.mjs:
// every INIT_VNET_<MOD>(expr); statement is removed, whatever the expression.
@@
identifier I =~ "^INIT_VNET_";
expression E;
@@
- I(E);
