//! Integration tests: the real command line (`t2d-testkit`, which is `t2d` plus test-only
//! node kinds) run in temporary projects.

mod architecture;
mod cache;
mod cli;
mod concurrency;
mod crash;
mod demo;
mod designs;
mod dry_run;
mod maintenance;
mod parity;
mod support;
mod validation;
